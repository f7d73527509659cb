import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../../errors.js";

/** Folders never scanned: dependencies, virtualenvs, VCS and caches. */
const SKIP_DIRS = new Set([
  "node_modules",
  ".git",
  ".hg",
  ".venv",
  "venv",
  "env",
  "__pycache__",
  ".mypy_cache",
  ".pytest_cache",
  ".ruff_cache",
  ".tox",
  "dist",
  "build",
  ".next",
  "coverage",
]);

/** A read-only view of a project directory, with the file list walked once. */
export interface ProjectFiles {
  dir: string;
  /** Relative POSIX paths of the files (bounded walk, dependencies skipped). */
  list: string[];
  has(rel: string): boolean;
  /** Text of a file, or undefined when it does not exist. */
  read(rel: string): Promise<string | undefined>;
}

const MAX_FILES = 5000;
const MAX_DEPTH = 6;

export async function scanProject(dir: string): Promise<ProjectFiles> {
  const abs = path.resolve(dir);
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(abs);
  } catch {
    throw new InputError(`project directory ${dir} does not exist`, {
      hint: "pass the directory that holds the app (slimstage optimize DIR)",
    });
  }
  if (!st.isDirectory()) {
    throw new InputError(`${dir} is not a directory`, {
      hint: "pass the directory that holds the app; use --from for an existing Dockerfile",
    });
  }
  const list: string[] = [];
  async function walk(rel: string, depth: number): Promise<void> {
    if (list.length >= MAX_FILES || depth > MAX_DEPTH) return;
    const entries = await readdir(path.join(abs, rel), { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name)) continue;
        await walk(child, depth + 1);
      } else if (e.isFile()) {
        list.push(child);
      }
    }
  }
  await walk("", 0);
  const set = new Set(list);
  return {
    dir: abs,
    list,
    has: (rel) => set.has(rel),
    async read(rel) {
      try {
        return await readFile(path.join(abs, rel), "utf8");
      } catch {
        return undefined;
      }
    },
  };
}

/** Top-level names of a project (files and folders) from its file list. */
export function topLevel(files: ProjectFiles): string[] {
  const out = new Set<string>();
  for (const f of files.list) out.add(f.split("/")[0] ?? f);
  return [...out].sort();
}

// The last segment names the health check, with or without a prefix: /health, /api/health, /flask-health-check.
// (a prefix only before a health word: /order-ping or /update-status could be anything).
const HEALTH_ROUTE =
  /["'`](\/(?:(?:[\w/-]*[/_-])?(?:health|healthz|healthcheck|health-check|livez|readyz)|ping))["'`]/;

/** A health route the app serves, found in its sources ("/health"), so HEALTHCHECK need not hit real endpoints. */
export async function findHealthRoute(files: ProjectFiles, sources: string[]): Promise<string | undefined> {
  for (const f of sources.slice(0, 100)) {
    const m = HEALTH_ROUTE.exec((await files.read(f)) ?? "");
    if (m?.[1]) return m[1];
  }
  return undefined;
}
