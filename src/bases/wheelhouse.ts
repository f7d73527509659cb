import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../engine/build/client.js";
import { BuildError, InterruptedError } from "../errors.js";
import { buildDebianWheelsFor, DEBIAN_WHEELS, debianWheelsDir } from "./debian-wheels.js";
import type { RecipeHost } from "./recipe.js";
import { completeForTarget, describeNeeds } from "./wheel-markers.js";

/** The package list, beside this module (the build copies it into dist/: scripts/copy-runtime-data.mjs). */
export const WHEELHOUSE_LIST = fileURLToPath(new URL("./wheelhouse.txt", import.meta.url));

const STAMP = ".slimstage-wheelhouse";
/** What the Python base installs from the wheelhouse itself. */
const ESSENTIAL = ["pip", "setuptools", "wheel", "packaging"];

/** manylinux tags a bookworm glibc (2.36) accepts, newest first. */
const PLATFORMS = [
  ...Array.from({ length: 20 }, (_, i) => `manylinux_2_${36 - i}_x86_64`),
  "manylinux2014_x86_64",
];

export function wheelhouseDir(cacheDir: string): string {
  return process.env.SLIMSTAGE_WHEELHOUSE ?? join(cacheDir, "wheelhouse");
}

/** Requirement lines of the list, without comments and blanks. */
export function parseWheelhouseList(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.replace(/#.*/, "").trim())
    .filter((l) => l.length > 0);
}

/**
 * `pip download` on the host into `dest`: binary wheels for CPython 3.11 on
 * the platforms a bookworm glibc accepts (the Python base's interpreter),
 * pure-Python wheels too, never an sdist (nothing compiles on the host).
 */
export async function pipDownload(
  dest: string,
  reqArgs: readonly string[],
  signal: AbortSignal,
  findLinks: readonly string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = ["-m", "pip", "download", "--dest", dest, "--only-binary=:all:", "--python-version", "3.11"];
  args.push("--implementation", "cp", "--abi", "cp311", "--abi", "abi3", "--abi", "none");
  for (const p of PLATFORMS) args.push("--platform", p);
  // Added to the configured find-links and indexes, not instead of them.
  for (const f of findLinks) args.push("--find-links", f);
  args.push(...reqArgs);
  // No retries: an index that is not there fails at once instead of backing off for minutes.
  return runCli("python3", args, {
    env: { ...process.env, PIP_RETRIES: "0", PIP_DISABLE_PIP_VERSION_CHECK: "1" },
    signal,
    timeoutMs: 900_000,
  }).catch((cause: unknown) => {
    if (cause instanceof InterruptedError) throw cause;
    throw new BuildError("could not run the host's pip (python3 -m pip)", {
      cause,
      hint: "install python3-pip on the host, or fill a wheelhouse yourself and set SLIMSTAGE_WHEELHOUSE",
    });
  });
}

/** The CPython version of the Python base (its PYTHON_VERSION): what wheel markers are evaluated for. */
export const BASE_PYTHON_VERSION = "3.11.2";

/**
 * Fills the wheelhouse once with the host's pip (it has a local index
 * configured) plus the wheels built from Debian's sources, completed for the
 * base's interpreter (markers the host's pip judged for itself); later calls
 * return at once while the list, the target and the Debian table are unchanged.
 */
export async function ensureWheelhouse(host: RecipeHost, listFile = WHEELHOUSE_LIST): Promise<string> {
  const dir = wheelhouseDir(host.cacheDir);
  const list = await readFile(listFile, "utf8");
  const stamp = createHash("sha256")
    .update(list)
    .update(`\0markers for ${BASE_PYTHON_VERSION}\0`)
    .update(JSON.stringify(DEBIAN_WHEELS))
    .digest("hex");
  const have = await readFile(join(dir, STAMP), "utf8").catch(() => "");
  if (have.trim() === stamp) return dir;
  await mkdir(dir, { recursive: true });
  const debian = debianWheelsDir(host.cacheDir);
  await mkdir(debian, { recursive: true });
  host.progress(`filling the wheelhouse ${dir} (pip download on the host)`);
  const download = (reqArgs: readonly string[]) => pipDownload(dir, reqArgs, host.signal, [debian]);
  const res = await download(["-r", listFile]);
  // One project the index lacks must not cost the others: fetch them one by
  // one, and fail only when a project the Python base itself needs is missing.
  const missing: string[] = [];
  if (res.code !== 0) {
    for (const req of parseWheelhouseList(list)) {
      const one = await download([req]);
      if (one.code !== 0) missing.push(req);
    }
  }
  const nameOf = (req: string) => (req.split(/[<>=!~;[\s]/)[0] ?? req).replace(/[-_.]+/g, "-").toLowerCase();
  const essential = missing.filter((m) => ESSENTIAL.includes(nameOf(m)));
  if (essential.length > 0) {
    throw new BuildError(
      `pip download for the wheelhouse failed for ${essential.join(", ")}:\n${res.stderr.trim().slice(-1500)}`,
      { hint: "the host's pip needs a reachable package index (see `pip config list`)" },
    );
  }
  const target = await completeForTarget(dir, BASE_PYTHON_VERSION, {
    signal: host.signal,
    download,
    prepare: (needs) => buildDebianWheelsFor(needs, host.cacheDir, host.signal, host.progress),
  });
  if (target.missing.length > 0) {
    host.progress(
      `the wheelhouse lacks what Python ${BASE_PYTHON_VERSION} needs beyond the host's ${target.host}: ${describeNeeds(target.missing)}`,
    );
  }
  // No stamp: the next run tries the missing ones again.
  if (missing.length > 0)
    host.progress(`the wheelhouse lacks ${missing.join(", ")} (the host's index has no wheel for them)`);
  else if (target.missing.length === 0) await writeFile(join(dir, STAMP), `${stamp}\n`);
  return dir;
}

/** Normalised project name of a wheel file (PEP 503: runs of -_. become -, lower case). */
export function projectOfWheel(file: string): string {
  return (file.split("-")[0] ?? file).replace(/[-_.]+/g, "-").toLowerCase();
}

/** The newest wheel of each named project (by file name order of versions), or a BuildError naming the missing one. */
export async function wheelsFor(dir: string, projects: readonly string[]): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".whl"));
  return projects.map((p) => {
    const mine = files
      .filter((f) => projectOfWheel(f) === p)
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    const newest = mine[mine.length - 1];
    if (!newest) throw new BuildError(`the wheelhouse ${dir} has no wheel for ${p}`);
    return newest;
  });
}
