/** Layers built in memory for tests of the file tree and what reads it (no tar involved). */
import type { FileEntry, Layer, Whiteout } from "../model.js";

/** A layer of `entries` (and `whiteouts`) as the archive reader would produce it. */
export function memoryLayer(index: number, entries: FileEntry[], whiteouts: Whiteout[] = []): Layer {
  return {
    index,
    diffId: `sha256:${index}`,
    verified: true,
    compression: "none",
    tarBytes: 0,
    size: entries.reduce((s, e) => s + e.size, 0),
    compressedBytes: null,
    compressedSizeKind: "unknown",
    entries,
    whiteouts,
    metaFiles: new Map(),
  };
}
