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
 * Starts the offline Python package index that the local python base points
 * pip at (src/bases/package-index.ts, owned by the bases area). Loaded by
 * name at run time so builds that do not need it never load it.
 */
export async function startPackageIndex(signal?: AbortSignal): Promise<RunningIndex> {
  const specifier = "../bases/package-index.js";
  const mod: unknown = await import(specifier);
  const start = (mod as { startPackageIndex?: unknown }).startPackageIndex;
  if (typeof start !== "function") throw new Error("src/bases/package-index.ts has no startPackageIndex()");
  const r: unknown = await (start as (o: { signal?: AbortSignal }) => Promise<unknown>)(
    signal ? { signal } : {},
  );
  const idx = r as Partial<RunningIndex>;
  if (typeof idx.url !== "string" || typeof idx.close !== "function")
    throw new Error("startPackageIndex() returned no {url, close}");
  return idx as RunningIndex;
}
