/**
 * Environment markers for the interpreter that will install the wheels. The
 * host's pip evaluates `Requires-Dist` markers with the host's own Python
 * (3.11.7 here) even with --python-version; the base image's CPython (3.11.2)
 * can need more (redis: `async-timeout; python_full_version < '3.11.3'`).
 * After a download, wheel-markers.py re-reads the wheels' METADATA for the
 * target version and what it names is downloaded too, to a fixpoint.
 */
import { fileURLToPath } from "node:url";
import { runCli } from "../engine/build/client.js";
import { BuildError, InterruptedError } from "../errors.js";

/** The script, beside this module (copied into dist/ by scripts/copy-runtime-data.mjs). */
export const WHEEL_MARKERS_SCRIPT = fileURLToPath(new URL("./wheel-markers.py", import.meta.url));

/** A requirement of a downloaded wheel that holds on the target and names a project the folder lacks. */
export interface MarkerNeed {
  /** The distribution whose METADATA asks for it, and its version. */
  dist: string;
  version: string;
  /** The requirement without its marker: `async-timeout>=4.0.3`. */
  requirement: string;
  /** Its normalised project name. */
  project: string;
}

export interface MarkerScan {
  /** The host interpreter's version (the one pip evaluated markers with). */
  host: string;
  needs: MarkerNeed[];
}

/** Runs the script over the wheels in `dir` for CPython `target` (e.g. "3.11.2"). */
export async function scanWheelMarkers(
  dir: string,
  target: string,
  signal: AbortSignal,
): Promise<MarkerScan> {
  const res = await runCli("python3", [WHEEL_MARKERS_SCRIPT, dir, target], {
    signal,
    timeoutMs: 120_000,
  }).catch((cause: unknown) => {
    if (cause instanceof InterruptedError) throw cause;
    throw new BuildError("could not run the host's python3 for the marker pass", { cause });
  });
  if (res.code !== 0) {
    throw new BuildError(
      `the marker pass over ${dir} failed (python3 ${WHEEL_MARKERS_SCRIPT}):\n${res.stderr.trim().slice(-800)}`,
      { hint: "it needs the host's pip (its vendored packaging): install python3-pip" },
    );
  }
  return JSON.parse(res.stdout) as MarkerScan;
}

/** Rounds of the fixpoint: each round can only add projects, and real chains are one or two deep. */
const MAX_ROUNDS = 5;

export interface TargetCompletion {
  host: string;
  /** Requirements downloaded for the target, in order. */
  added: MarkerNeed[];
  /** Requirements no index here has (each tried on its own). */
  missing: MarkerNeed[];
}

/**
 * Downloads (with their dependencies) the requirements that hold on `target`
 * but were skipped for the host, round after round until nothing new is named.
 * `prepare` runs before each round's download with the needs (to build a
 * missing wheel from Debian's sources); `download` is pip download into `dir`.
 */
export async function completeForTarget(
  dir: string,
  target: string,
  opts: {
    signal: AbortSignal;
    download: (reqArgs: readonly string[]) => Promise<{ code: number }>;
    prepare?: (needs: readonly MarkerNeed[]) => Promise<void>;
  },
): Promise<TargetCompletion> {
  const added: MarkerNeed[] = [];
  const missing: MarkerNeed[] = [];
  let host = "";
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const scan = await scanWheelMarkers(dir, target, opts.signal);
    host = scan.host;
    const needs = scan.needs.filter((n) => !missing.some((m) => m.project === n.project));
    if (needs.length === 0) break;
    await opts.prepare?.(needs);
    const all = await opts.download(needs.map((n) => n.requirement));
    if (all.code === 0) {
      added.push(...needs);
      continue;
    }
    // pip stops at the first project it cannot find: ask for each alone to name them all.
    for (const n of needs) {
      const one = await opts.download([n.requirement]);
      (one.code === 0 ? added : missing).push(n);
    }
  }
  return { host, added, missing };
}

/** "redis 8.1.0 needs async-timeout>=4.0.3", one per line. */
export function describeNeeds(needs: readonly MarkerNeed[]): string {
  return needs.map((n) => `${n.dist} ${n.version} needs ${n.requirement}`).join("; ");
}
