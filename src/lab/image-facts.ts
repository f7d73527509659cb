/**
 * The numbers a lab's verdicts are computed from, taken from one image
 * analysis. Plain, small and JSON-serialisable: the verdicts are pure
 * functions of these, and `slimstage lab --json` carries them.
 */
import type { Analysis } from "../image/analysis/types.js";

export interface HistoryRow {
  createdBy: string;
  /** Bytes of file content the layer holds (0 for metadata-only entries). */
  sizeBytes: number;
  wastedBytes: number;
  /** Bytes of files this layer wrote over a lower layer's copy. */
  changedBytes: number;
  empty: boolean;
}

export interface PackageFact {
  ecosystem: string;
  name: string;
  version: string;
  bytes: number;
}

export interface WastedGroup {
  /** A package name (for site-packages and node_modules) or a directory. */
  name: string;
  bytes: number;
  files: number;
}

export interface ImageFacts {
  ref: string;
  imageId: string;
  /** Uncompressed bytes of all layers: what `docker images` shows, roughly. */
  sizeBytes: number;
  /** Bytes of the merged final tree (what the container sees). */
  finalBytes: number;
  compressedBytes: number | null;
  /** Filesystem layers. */
  layers: number;
  /** Entries of `docker history`, metadata-only ones included. */
  historyEntries: number;
  history: HistoryRow[];
  wastedBytes: number;
  /** Wasted bytes grouped by the package (or directory) they belong to, largest first. */
  wastedBy: WastedGroup[];
  buildOnlyBytes: number;
  byCategory: Array<{
    category: string;
    label: string;
    bytes: number;
    top: Array<{ name: string; bytes: number }>;
  }>;
  byOwnerKind: Record<string, number>;
  packages: PackageFact[];
  user: string;
  cmd: string[] | null;
  entrypoint: string[] | null;
}

/** `usr/local/lib/python3.11/site-packages/pip/x.py` -> "pip"; `app/node_modules/@a/b/x` -> "@a/b". */
export function wasteGroupOf(path: string): string {
  const segs = path.replace(/^\/+/, "").split("/");
  const sp = segs.findIndex((s) => s === "site-packages" || s === "dist-packages");
  const pkg = sp >= 0 ? segs[sp + 1] : undefined;
  if (pkg) {
    return pkg.replace(/-[^-]+\.(dist|egg)-info$/, "").replace(/\.py$/, "");
  }
  const nm = segs.lastIndexOf("node_modules");
  const first = nm >= 0 ? segs[nm + 1] : undefined;
  if (first) {
    return first.startsWith("@") && segs[nm + 2] ? `${first}/${segs[nm + 2]}` : first;
  }
  return `/${segs.slice(0, Math.min(3, segs.length - 1)).join("/")}`;
}

export function imageFacts(a: Analysis): ImageFacts {
  const groups = new Map<string, WastedGroup>();
  for (const w of a.wastedFiles) {
    const name = wasteGroupOf(w.path);
    const g = groups.get(name) ?? { name, bytes: 0, files: 0 };
    g.bytes += w.bytes;
    g.files += 1;
    groups.set(name, g);
  }
  return {
    ref: a.ref,
    imageId: a.imageId,
    sizeBytes: a.totalBytes,
    finalBytes: a.finalBytes,
    compressedBytes: a.compressedBytes,
    layers: a.layers.filter((l) => !l.empty).length,
    historyEntries: a.layers.length,
    history: a.layers.map((l) => ({
      createdBy: l.createdBy,
      sizeBytes: l.size,
      wastedBytes: l.wastedBytes,
      changedBytes: l.changed.bytes,
      empty: l.empty,
    })),
    wastedBytes: a.wastedBytes,
    wastedBy: [...groups.values()].sort((x, y) => y.bytes - x.bytes).slice(0, 12),
    buildOnlyBytes: a.buildOnlyBytes,
    byCategory: a.byCategory.map((c) => ({
      category: c.category,
      label: c.label,
      bytes: c.bytes,
      top: c.top.slice(0, 5),
    })),
    byOwnerKind: { ...a.byOwnerKind },
    packages: a.packages.map((p) => ({
      ecosystem: p.ecosystem,
      name: p.name,
      version: p.version,
      bytes: p.bytes,
    })),
    user: a.config.user,
    cmd: a.config.cmd,
    entrypoint: a.config.entrypoint,
  };
}
