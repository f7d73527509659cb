import { startPackageIndex } from "../build/package-index.js";

/**
 * Runs `fn` with the offline Python package index up when `needed` (Python
 * builds: the local python base points pip at it), and always stops it.
 */
export async function withPackageIndex<T>(
  needed: boolean,
  signal: AbortSignal | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  if (!needed) return fn();
  const index = await startPackageIndex(signal);
  try {
    return await fn();
  } finally {
    await index.close();
  }
}
