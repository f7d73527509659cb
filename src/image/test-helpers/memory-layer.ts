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

/** A path and what is there: a number is a file of that size, a string a symlink to it. */
export type PathSpec = [path: string, sizeOrTarget?: number | string];

/**
 * One layer of files and symlinks (root-owned, 0644) with every parent
 * directory implied (0755), and `meta` as the package metadata the archive
 * reader would have kept (RECORD, package.json), by path.
 */
export function layerOfPaths(specs: readonly PathSpec[], meta: Record<string, string> = {}): Layer {
  const entries: FileEntry[] = [];
  const dirs = new Set<string>();
  for (const [path] of specs) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
  }
  for (const d of [...dirs].sort())
    entries.push({ path: d, type: "dir", mode: 0o755, uid: 0, gid: 0, size: 0 });
  for (const [path, x] of specs)
    entries.push({
      path,
      type: typeof x === "string" ? "symlink" : "file",
      mode: 0o644,
      uid: 0,
      gid: 0,
      size: typeof x === "number" ? x : 0,
      ...(typeof x === "string" ? { linkTarget: x } : {}),
    });
  const layer = memoryLayer(0, entries);
  for (const [k, v] of Object.entries(meta)) layer.metaFiles.set(k, v);
  return layer;
}
