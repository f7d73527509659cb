/**
 * What lint learns from the project around a Dockerfile: the build context's
 * .dockerignore, package.json and top-level entries, and the stages that a
 * compose file beside it builds (`build.target`). Read from disk here so the
 * engine and the rules stay pure.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { yamlLib } from "../yaml-input.js";
import type { LintEnvironment, PackageManifest } from "./rule.js";

/** Compose file names, in the order compose itself looks for them. */
export const COMPOSE_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

export interface ComposeTargets {
  /** The compose file that names them. */
  file: string;
  /** Stages built for this Dockerfile, in service order (the first is judged as the final stage). */
  targets: string[];
}

export interface ProjectFacts {
  env: LintEnvironment;
  compose?: ComposeTargets;
}

/** Reads the facts for `dockerfile` (absolute), with `contextDir` as the build context (default: its directory). */
export function readProject(dockerfile: string, contextDir?: string): ProjectFacts {
  const ctx = contextDir ?? dirname(dockerfile);
  const env: LintEnvironment = {
    dockerignore: readText(join(ctx, ".dockerignore")),
    packageJson: readManifest(join(ctx, "package.json")),
    contextEntries: listDir(ctx),
  };
  const compose = composeTargets(dockerfile);
  return compose ? { env, compose } : { env };
}

function readText(p: string): string | null {
  return existsSync(p) ? readFileSync(p, "utf8") : null;
}

function listDir(dir: string): string[] | undefined {
  try {
    return readdirSync(dir);
  } catch {
    return undefined;
  }
}

/** package.json as far as rules use it; null when there is none, undefined when it does not parse (unknown). */
export function readManifest(p: string): PackageManifest | null | undefined {
  const text = readText(p);
  if (text === null) return null;
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const rec = (v: unknown): Record<string, string> =>
      v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, string>) : {};
    return {
      scripts: rec(j.scripts),
      dependencies: rec(j.dependencies),
      devDependencies: rec(j.devDependencies),
    };
  } catch {
    return undefined;
  }
}

/**
 * The `build.target` of every compose service whose build resolves to this
 * Dockerfile, from a compose file in its directory or the one above (the
 * layout of compose samples: compose.yaml at the root, `context: app`).
 * A file that does not parse is ignored: lint falls back to the last stage.
 */
export function composeTargets(dockerfile: string): ComposeTargets | undefined {
  const want = resolve(dockerfile);
  for (const dir of [dirname(want), dirname(dirname(want))]) {
    for (const name of COMPOSE_FILES) {
      const file = join(dir, name);
      if (!existsSync(file) || !statSync(file).isFile()) continue;
      let doc: unknown;
      try {
        doc = yamlLib().parse(readFileSync(file, "utf8"));
      } catch {
        continue;
      }
      const targets: string[] = [];
      const services = (doc as { services?: Record<string, unknown> } | null)?.services ?? {};
      for (const svc of Object.values(services)) {
        const build = (svc as { build?: unknown } | null)?.build;
        if (build === undefined || build === null) continue;
        const b = typeof build === "string" ? { context: build } : (build as Record<string, unknown>);
        const context = resolve(dir, typeof b.context === "string" ? b.context : ".");
        const df = resolve(context, typeof b.dockerfile === "string" ? b.dockerfile : "Dockerfile");
        if (df !== want || typeof b.target !== "string") continue;
        if (!targets.includes(b.target)) targets.push(b.target);
      }
      if (targets.length) return { file, targets };
    }
  }
  return undefined;
}
