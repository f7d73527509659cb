import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../engine/build-client.js";
import { BuildError } from "../errors.js";
import type { RecipeHost } from "./recipe.js";

/** The package list, kept beside the source (also found from dist/, one level deeper in the same tree). */
export const WHEELHOUSE_LIST = fileURLToPath(new URL("../../src/bases/wheelhouse.txt", import.meta.url));

const STAMP = ".slimstage-wheelhouse";

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
 * Fills the wheelhouse once with the host's pip (it has a local index
 * configured); later calls return at once while the list is unchanged.
 */
export async function ensureWheelhouse(host: RecipeHost): Promise<string> {
  const dir = wheelhouseDir(host.cacheDir);
  const list = await readFile(WHEELHOUSE_LIST, "utf8");
  const stamp = createHash("sha256").update(list).digest("hex");
  const have = await readFile(join(dir, STAMP), "utf8").catch(() => "");
  if (have.trim() === stamp) return dir;
  await mkdir(dir, { recursive: true });
  host.progress(`filling the wheelhouse ${dir} (pip download on the host)`);
  const args = ["-m", "pip", "download", "--dest", dir, "--only-binary=:all:", "--python-version", "3.11"];
  args.push("--implementation", "cp", "--abi", "cp311", "--abi", "abi3", "--abi", "none");
  for (const p of PLATFORMS) args.push("--platform", p);
  args.push("-r", WHEELHOUSE_LIST);
  // No retries: an index that is not there fails at once instead of backing off for minutes.
  const res = await runCli("python3", args, {
    env: { ...process.env, PIP_RETRIES: "0", PIP_DISABLE_PIP_VERSION_CHECK: "1" },
    signal: host.signal,
    timeoutMs: 900_000,
  }).catch((cause: unknown) => {
    throw new BuildError("could not run the host's pip (python3 -m pip)", {
      cause,
      hint: "install python3-pip on the host, or fill a wheelhouse yourself and set SLIMSTAGE_WHEELHOUSE",
    });
  });
  if (res.code !== 0) {
    throw new BuildError(
      `pip download for the wheelhouse failed (exit ${res.code}):\n${res.stderr.trim().slice(-1500)}`,
      {
        hint: "the host's pip needs a reachable package index (see `pip config list`)",
      },
    );
  }
  await writeFile(join(dir, STAMP), `${stamp}\n`);
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
