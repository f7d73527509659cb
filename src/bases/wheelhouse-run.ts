/**
 * A wheelhouse for one run (#15 item 6): the project's own requirements
 * resolved by the host's pip (binary wheels for CPython 3.11, like the
 * Python base) into a fresh folder, instead of a fixed list, then completed
 * for the base image's own interpreter (wheel-markers.ts). What the host's
 * index lacks is named at once, before any build.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { BuildError } from "../errors.js";
import { defaultCacheDir } from "./cache-dir.js";
import { buildDebianWheelsFor, debianWheelFor, debianWheelsDir } from "./debian-wheels.js";
import { completeForTarget, describeNeeds, type MarkerNeed } from "./wheel-markers.js";
import { pipDownload } from "./wheelhouse.js";

/** What a build will pip install: requirement files of the project and extra requirement lines. */
export interface RunRequirements {
  /** Absolute paths of requirement files (their `-r` includes are followed). */
  files: string[];
  /** Extra requirement lines (pinned exports, test packages, build backends). */
  lines: string[];
}

/** Requirement lines of a file with its `-r` includes inlined; local paths and options left out. */
async function flatten(file: string, seen: Set<string>): Promise<string[]> {
  if (seen.has(file) || seen.size > 50) return [];
  seen.add(file);
  const text = await readFile(file, "utf8").catch(() => "");
  const out: string[] = [];
  for (const raw of text.split("\n")) {
    const l = raw.replace(/(^|\s)#.*/, "").trim();
    if (!l) continue;
    const inc = /^(?:-r|--requirement)\s*=?\s*(\S+)/.exec(l);
    if (inc?.[1]) {
      out.push(...(await flatten(path.resolve(path.dirname(file), inc[1]), seen)));
      continue;
    }
    // Local folders (built in the image from the context) and pip options are not downloads.
    if (/^(-|\.|\/|file:)/.test(l)) continue;
    out.push(l);
  }
  return out;
}

/** The requirement lines a build needs, deduplicated, with setuptools and wheel for local builds. */
export async function requirementLines(req: RunRequirements): Promise<string[]> {
  const lines: string[] = [];
  for (const f of req.files) lines.push(...(await flatten(f, new Set())));
  lines.push(...req.lines, "setuptools", "wheel");
  return lines.filter((l, i) => lines.indexOf(l) === i);
}

export interface RunWheelhouse {
  dir: string;
  lines: string[];
  /** Requirements added for the base's interpreter (true there, false on the host). */
  added: MarkerNeed[];
  remove(): Promise<void>;
}

/** The interpreter that will install the wheels, when known. */
export interface RunTarget {
  /** Its full version, e.g. "3.11.2" (the base image's PYTHON_VERSION). */
  python: string;
  /** Where it runs, for messages: "the base image python:3.11-slim". */
  where: string;
}

export interface RunWheelhouseOptions {
  /** Marker pass for this interpreter; none: the host's pip judges markers alone. */
  target?: RunTarget;
  /** Where the wheels built from Debian's sources are kept (default: slimstage's cache). */
  cacheDir?: string;
  progress?: (line: string) => void;
}

function baseName(req: string): string {
  return (req.split(/[<>=!~;[\s]/)[0] ?? req).trim();
}

/**
 * Downloads the requirements into a new temp folder, completed for the
 * target interpreter's markers; a BuildError names what the host cannot
 * provide, before any build.
 */
export async function fillRunWheelhouse(
  req: RunRequirements,
  signal: AbortSignal,
  opts: RunWheelhouseOptions = {},
): Promise<RunWheelhouse> {
  const dir = await mkdtemp(path.join(tmpdir(), "slimstage-wheels-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const debian = debianWheelsDir(cacheDir);
  const download = (reqArgs: readonly string[]) => pipDownload(dir, reqArgs, signal, [debian]);
  try {
    await mkdir(debian, { recursive: true });
    const lines = await requirementLines(req);
    const listFile = path.join(dir, ".requirements.txt");
    await writeFile(listFile, `${lines.join("\n")}\n`);
    let res = await download(["-r", listFile]);
    let missing = firstMissing(res.stderr);
    if (res.code !== 0 && missing && debianWheelFor(baseName(missing))) {
      // A project only Debian's sources provide, asked for directly: build it, then try again.
      await buildDebianWheelsFor([{ project: baseName(missing) }], cacheDir, signal, opts.progress);
      res = await download(["-r", listFile]);
      missing = firstMissing(res.stderr);
    }
    if (res.code !== 0 && missing) {
      const all = await everyMissing(lines, download);
      const one = all.length === 1 ? all[0] : undefined;
      throw new BuildError(
        one
          ? `the host's pip index has no CPython 3.11 binary or pure-Python wheel for ${one}`
          : all.length > 1
            ? `the host's pip index has no CPython 3.11 binary or pure-Python wheel for ${all.join(", ")}`
            : `the host's pip index has no CPython 3.11 binary or pure-Python wheel for ${missing} (the first missing: pip stops there, others may follow)`,
        {
          hint: `pin a version the index has (check with \`pip download --no-deps -d /tmp/x ${baseName(one ?? missing)}\`), or drop the requirement`,
        },
      );
    }
    if (res.code !== 0) {
      throw new BuildError(
        `pip download on the host failed for the project's requirements:\n${res.stderr.trim().slice(-1200)}`,
        { hint: "check the host's pip configuration (`pip config list`)" },
      );
    }
    await rm(listFile, { force: true });
    const added: MarkerNeed[] = [];
    if (opts.target) {
      const target = opts.target;
      const done = await completeForTarget(dir, target.python, {
        signal,
        download,
        prepare: (needs) => buildDebianWheelsFor(needs, cacheDir, signal, opts.progress),
      });
      if (done.missing.length > 0) {
        const why = `on Python ${target.python} (${target.where}'s interpreter; the host's pip runs ${done.host})`;
        const them = done.missing.length > 1 ? "them" : "it";
        throw new BuildError(`${describeNeeds(done.missing)} ${why}, and no index here has ${them}`, {
          hint: `pip on the host skipped ${done.missing.length > 1 ? "these" : "it"}: the environment marker is false for Python ${done.host}. Add a wheel to the host's index (or a row to src/bases/debian-wheels.ts for a pure-Python project Debian ships), or use a base image whose Python the marker excludes`,
        });
      }
      added.push(...done.added);
    }
    return { dir, lines, added, remove };
  } catch (e) {
    await remove();
    throw e;
  }
}

/** Lines tried on their own when pip stops at the first missing requirement (the others cost a pip run each). */
const MAX_LINES_TRIED = 40;

/**
 * pip stops at the first requirement it cannot find: each line is tried on
 * its own to name every one ("x (for y)" when a dependency of line y is
 * missing). Empty when that finds nothing new (then only the first is known).
 */
async function everyMissing(
  lines: readonly string[],
  download: (reqArgs: readonly string[]) => Promise<{ code: number; stderr: string }>,
): Promise<string[]> {
  const own = lines.filter((l) => !["setuptools", "wheel"].includes(l));
  if (own.length > MAX_LINES_TRIED) return [];
  const found: string[] = [];
  for (const line of own) {
    const res = await download([line]);
    const m = res.code !== 0 ? firstMissing(res.stderr) : undefined;
    if (!m) continue;
    const text = baseName(m).toLowerCase() === baseName(line).toLowerCase() ? m : `${m} (for ${line})`;
    if (!found.includes(text)) found.push(text);
  }
  return found;
}

/** The requirement pip names in "No matching distribution found for X" (it stops at the first). */
export function firstMissing(stderr: string): string | undefined {
  return /No matching distribution found for (\S+)/.exec(stderr)?.[1];
}
