import { readFile } from "node:fs/promises";

export interface RunningIndex {
  url: string;
  close(): Promise<void> | void;
}

/** Does this Dockerfile install Python packages (and so need the offline index)? */
export async function needsPackageIndex(dockerfiles: readonly string[]): Promise<boolean> {
  for (const f of dockerfiles) {
    const text = await readFile(f, "utf8").catch(() => "");
    if (/\bpip3?\b|python[0-9.]*\s+-m\s+pip|\bpoetry\b|\buv\s+pip\b/.test(text)) return true;
  }
  return false;
}

/**
 * Starts (or reuses) the offline Python package index that the local python
 * base points pip at (src/bases/package-index.ts, owned by the bases area),
 * loaded lazily so builds that do not need it never load it.
 */
export async function startPackageIndex(
  signal?: AbortSignal,
  opts: { dir?: string; port?: number } = {},
): Promise<RunningIndex> {
  const { startPackageIndex: start } = await import("../bases/package-index.js");
  return await start({ ...(signal ? { signal } : {}), ...opts });
}
