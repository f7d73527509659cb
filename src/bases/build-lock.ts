import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { InterruptedError } from "../errors.js";

const WAIT_STEP_MS = 2000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new InterruptedError(String(signal.reason ?? "SIGINT")));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function isLocked(err: unknown): boolean {
  return typeof err === "object" && err !== null && "code" in err && err.code === "ELOCKED";
}

/**
 * One `bases build` at a time per machine: several people or CI jobs running
 * scripts/test.sh at once would otherwise all compile CPython. The second one
 * waits (abortable), then finds everything up to date. The lock goes stale
 * when its holder dies, so a killed build never blocks the next.
 */
export async function withBasesLock<T>(
  cacheDir: string,
  signal: AbortSignal,
  progress: (line: string) => void,
  body: () => Promise<T>,
): Promise<T> {
  await mkdir(cacheDir, { recursive: true });
  const opts = {
    lockfilePath: join(cacheDir, "bases-build.lock"),
    realpath: false,
    stale: 30_000,
    update: 10_000,
    // A lost lock (the holder's clock or disk hiccuped) is not worth crashing a build over.
    onCompromised: () => {},
  };
  let release: (() => Promise<void>) | undefined;
  let told = false;
  while (!release) {
    try {
      release = await lockfile.lock(cacheDir, opts);
    } catch (err) {
      if (!isLocked(err)) throw err;
      if (!told) {
        progress("another `slimstage bases build` is running on this machine; waiting for it to finish");
        told = true;
      }
      await sleep(WAIT_STEP_MS, signal);
    }
  }
  try {
    return await body();
  } finally {
    await release().catch(() => {});
  }
}
