/**
 * Pure-Python distributions the host's package index lacks, built on the host
 * from the upstream release Debian's mirror keeps (the .orig tarball, pinned
 * by sha256) with `pip wheel --no-deps`. They land in a cache folder beside
 * the wheelhouse that every `pip download` here sees as an extra
 * --find-links, so a requirement only the base's interpreter needs (see
 * wheel-markers.ts) still resolves, offline in the build.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCli } from "../engine/build/client.js";
import { BuildError, InterruptedError } from "../errors.js";
import { fetchAlive } from "../fetch-alive.js";

export interface DebianWheel {
  /** Normalised project name (PEP 503). */
  project: string;
  version: string;
  /** The .orig tarball's path under the mirror's root. */
  pool: string;
  sha256: string;
  /** Why it is here, for the docs and messages. */
  why: string;
}

/** The one table: add a row when a pure-Python requirement has no wheel in the host's index. */
export const DEBIAN_WHEELS: readonly DebianWheel[] = [
  {
    project: "async-timeout",
    version: "5.0.1",
    pool: "pool/main/p/python-async-timeout/python-async-timeout_5.0.1.orig.tar.gz",
    sha256: "928c37731c8d24daa04ec421b0a1c60d5e52e6aa4dc02d3febc17efd66a26861",
    why: "redis-py needs it on CPython < 3.11.3 (the Python base runs 3.11.2)",
  },
];

export const DEFAULT_DEBIAN_MIRROR = "http://deb.debian.org/debian";

export function debianMirror(env: NodeJS.ProcessEnv = process.env): string {
  return (env.SLIMSTAGE_DEBIAN_MIRROR || DEFAULT_DEBIAN_MIRROR).replace(/\/+$/, "");
}

/** The cache folder of built wheels, beside the wheelhouse. */
export function debianWheelsDir(cacheDir: string): string {
  return join(cacheDir, "debian-wheels");
}

export function debianWheelFor(project: string): DebianWheel | undefined {
  const p = project.replace(/[-_.]+/g, "-").toLowerCase();
  return DEBIAN_WHEELS.find((w) => w.project === p);
}

/** The wheel file of `w` already in `dir`, if any. */
async function builtWheel(dir: string, w: DebianWheel): Promise<string | undefined> {
  const prefix = `${w.project.replace(/-/g, "_")}-${w.version}-`;
  const files = await readdir(dir).catch(() => [] as string[]);
  return files.find((f) => f.endsWith(".whl") && f.toLowerCase().startsWith(prefix));
}

async function download(url: string, signal: AbortSignal): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetchAlive(url, { signal });
  } catch (cause) {
    if (signal.aborted) throw new InterruptedError(String(signal.reason ?? "SIGINT"));
    throw new BuildError(`could not download ${url}`, {
      cause,
      hint: "set SLIMSTAGE_DEBIAN_MIRROR to a Debian mirror this host reaches",
    });
  }
  if (!res.ok) {
    throw new BuildError(`${url} answered ${res.status} ${res.statusText}`, {
      hint: "set SLIMSTAGE_DEBIAN_MIRROR to a Debian mirror that keeps this file",
    });
  }
  try {
    return Buffer.from(await res.arrayBuffer());
  } catch (cause) {
    if (signal.aborted) throw new InterruptedError(String(signal.reason ?? "SIGINT"));
    throw new BuildError(`the download of ${url} broke off`, { cause });
  }
}

/**
 * Builds the wheel of each entry not yet in the cache folder (by default all
 * of the table) and returns the folder. Idempotent: a built wheel is kept; two
 * runs building at once each move a complete file into place.
 */
export async function ensureDebianWheels(
  cacheDir: string,
  opts: {
    signal: AbortSignal;
    progress?: (line: string) => void;
    wheels?: readonly DebianWheel[];
    env?: NodeJS.ProcessEnv;
  },
): Promise<string> {
  const dir = debianWheelsDir(cacheDir);
  await mkdir(dir, { recursive: true });
  for (const w of opts.wheels ?? DEBIAN_WHEELS) {
    if (await builtWheel(dir, w)) continue;
    const url = `${debianMirror(opts.env)}/${w.pool}`;
    opts.progress?.(`building ${w.project} ${w.version} from Debian's source (${url}): ${w.why}`);
    const tarball = await download(url, opts.signal);
    const got = createHash("sha256").update(tarball).digest("hex");
    if (got !== w.sha256) {
      throw new BuildError(`${url} has sha256 ${got}, not the pinned ${w.sha256}`, {
        hint: "the mirror serves a different file: check SLIMSTAGE_DEBIAN_MIRROR, or update the table in src/bases/debian-wheels.ts",
      });
    }
    const work = await mkdtemp(join(dir, ".build-"));
    try {
      const src = join(work, w.pool.split("/").pop() ?? "source.tar.gz");
      await writeFile(src, tarball);
      const out = join(work, "out");
      // No dependencies: each needed project is its own row; build isolation takes setuptools from the host's index.
      const res = await runCli("python3", ["-m", "pip", "wheel", "--no-deps", "--wheel-dir", out, src], {
        env: { ...process.env, PIP_RETRIES: "0", PIP_DISABLE_PIP_VERSION_CHECK: "1" },
        signal: opts.signal,
        timeoutMs: 600_000,
      });
      const built = (await readdir(out).catch(() => [] as string[])).find((f) => f.endsWith(".whl"));
      if (res.code !== 0 || !built) {
        throw new BuildError(
          `pip wheel on the host could not build ${w.project} ${w.version} from ${url}:\n${res.stderr.trim().slice(-1200)}`,
          { hint: "the build needs setuptools from the host's index (see `pip config list`)" },
        );
      }
      await rename(join(out, built), join(dir, built));
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  return dir;
}

/** Builds the table's wheels for the named projects only (none named: nothing downloaded). */
export async function buildDebianWheelsFor(
  needs: readonly { project: string }[],
  cacheDir: string,
  signal: AbortSignal,
  progress?: (line: string) => void,
): Promise<void> {
  const wheels = needs.map((n) => debianWheelFor(n.project)).filter((w): w is DebianWheel => w !== undefined);
  if (wheels.length > 0)
    await ensureDebianWheels(cacheDir, { signal, wheels, ...(progress ? { progress } : {}) });
}
