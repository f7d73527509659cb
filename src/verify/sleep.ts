import { InterruptedError } from "../errors.js";

/** Waits `ms`, or rejects with InterruptedError as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new InterruptedError(String(signal.reason ?? "SIGINT")));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InterruptedError(String(signal?.reason ?? "SIGINT")));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

// One home (errors.ts); re-exported for the verify modules that wait and check in one import.
export { throwIfAborted } from "../errors.js";
