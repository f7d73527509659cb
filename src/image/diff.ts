import { analyzeImage } from "./analysis/analyze.js";
import type { Analysis, ImagePackage, PackageEcosystem } from "./analysis/types.js";
import { isDir, mergeLayers, nodeSize, walk } from "./filetree.js";
import type { EntryType, Image, ImageConfig } from "./model.js";
import { compareText } from "./order.js";

export interface DiffLayer {
  index: number;
  digest: string;
  createdBy: string;
  size: number;
}

export interface FileChange {
  path: string;
  type: EntryType;
  /** Size in A (0 when added). */
  before: number;
  /** Size in B (0 when removed). */
  after: number;
  /** For a changed file: what differs (size, type, mode, owner, link). */
  what?: string[];
}

export interface PackageChange {
  ecosystem: PackageEcosystem;
  name: string;
  before: string | null;
  after: string | null;
  bytesBefore: number;
  bytesAfter: number;
}

export interface ConfigChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface ImageDiff {
  a: { ref: string; id: string; totalBytes: number; finalBytes: number; layers: number };
  b: { ref: string; id: string; totalBytes: number; finalBytes: number; layers: number };
  /** Leading layers both images share (same diff ids in the same order). */
  sharedLayers: number;
  layersOnlyInA: DiffLayer[];
  layersOnlyInB: DiffLayer[];
  files: {
    added: FileChange[];
    removed: FileChange[];
    changed: FileChange[];
    addedBytes: number;
    removedBytes: number;
    /** Sum of (after - before) over changed files. */
    changedDelta: number;
  };
  packages: { added: PackageChange[]; removed: PackageChange[]; changed: PackageChange[] };
  config: ConfigChange[];
}

interface Meta {
  type: EntryType;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  link: string;
  /** Diff id of the layer the final copy comes from: equal means the same bytes. */
  origin: string;
}

function finalFiles(image: Image): Map<string, Meta> {
  const tree = mergeLayers(image.layers);
  const out = new Map<string, Meta>();
  walk(tree.root, "", (n, path) => {
    if (isDir(n) || !n.entry) return;
    out.set(`/${path}`, {
      type: n.entry.type,
      size: nodeSize(n),
      mode: n.entry.mode,
      uid: n.entry.uid,
      gid: n.entry.gid,
      link: n.entry.linkTarget ?? "",
      origin: image.layers[n.layer]?.diffId ?? "",
    });
  });
  return out;
}

function layerRows(image: Image, from: number): DiffLayer[] {
  const byLayer = new Map<number, Image["history"][number]>();
  for (const h of image.history) if (h.layerIndex !== null) byLayer.set(h.layerIndex, h);
  return image.layers.slice(from).map((l) => ({
    index: l.index,
    digest: l.diffId,
    createdBy: byLayer.get(l.index)?.createdBy ?? "",
    size: l.size,
  }));
}

function configChanges(a: ImageConfig, b: ImageConfig): ConfigChange[] {
  const out: ConfigChange[] = [];
  const fields: Array<keyof ImageConfig> = [
    "env",
    "cmd",
    "entrypoint",
    "user",
    "workdir",
    "exposedPorts",
    "os",
    "architecture",
    "variant",
    "healthcheck",
    "stopSignal",
    "volumes",
  ];
  for (const f of fields) {
    if (JSON.stringify(a[f] ?? null) !== JSON.stringify(b[f] ?? null)) {
      out.push({ field: f, before: a[f] ?? null, after: b[f] ?? null });
    }
  }
  const keys = new Set([...Object.keys(a.labels), ...Object.keys(b.labels)]);
  for (const k of [...keys].sort()) {
    if (a.labels[k] !== b.labels[k])
      out.push({ field: `labels.${k}`, before: a.labels[k] ?? null, after: b.labels[k] ?? null });
  }
  return out;
}

function packageChanges(pa: readonly ImagePackage[], pb: readonly ImagePackage[]): ImageDiff["packages"] {
  const key = (p: ImagePackage) => `${p.ecosystem}\u0000${p.name}`;
  const ma = new Map(pa.map((p) => [key(p), p]));
  const mb = new Map(pb.map((p) => [key(p), p]));
  const added: PackageChange[] = [];
  const removed: PackageChange[] = [];
  const changed: PackageChange[] = [];
  for (const [k, p] of mb) {
    const old = ma.get(k);
    const row = {
      ecosystem: p.ecosystem,
      name: p.name,
      before: old?.version ?? null,
      after: p.version,
      bytesBefore: old?.bytes ?? 0,
      bytesAfter: p.bytes,
    };
    if (!old) added.push(row);
    else if (old.version !== p.version) changed.push(row);
  }
  for (const [k, p] of ma) {
    if (!mb.has(k)) {
      removed.push({
        ecosystem: p.ecosystem,
        name: p.name,
        before: p.version,
        after: null,
        bytesBefore: p.bytes,
        bytesAfter: 0,
      });
    }
  }
  const order = (x: PackageChange, y: PackageChange) =>
    compareText(x.ecosystem, y.ecosystem) || compareText(x.name, y.name);
  return { added: added.sort(order), removed: removed.sort(order), changed: changed.sort(order) };
}

/**
 * What changed from image A to image B: layers, files (by metadata: contents
 * are not hashed per file, so a same-size edit inside a shared path counts as
 * changed only when the file comes from a different layer and its metadata
 * differs), packages with versions, and config.
 */
export function diffImages(a: Image, b: Image, analyses?: { a?: Analysis; b?: Analysis }): ImageDiff {
  const aa = analyses?.a ?? analyzeImage(a);
  const ab = analyses?.b ?? analyzeImage(b);
  let shared = 0;
  for (;;) {
    const la = a.layers[shared];
    const lb = b.layers[shared];
    if (la === undefined || lb === undefined || la.diffId !== lb.diffId) break;
    shared++;
  }
  const fa = finalFiles(a);
  const fb = finalFiles(b);
  const added: FileChange[] = [];
  const removed: FileChange[] = [];
  const changed: FileChange[] = [];
  for (const [path, m] of fb) {
    const old = fa.get(path);
    if (!old) {
      added.push({ path, type: m.type, before: 0, after: m.size });
      continue;
    }
    if (old.origin === m.origin) continue;
    const what: string[] = [];
    if (old.type !== m.type) what.push("type");
    if (old.size !== m.size) what.push("size");
    if (old.mode !== m.mode) what.push("mode");
    if (old.uid !== m.uid || old.gid !== m.gid) what.push("owner");
    if (old.link !== m.link) what.push("link");
    if (what.length > 0) changed.push({ path, type: m.type, before: old.size, after: m.size, what });
  }
  for (const [path, m] of fa)
    if (!fb.has(path)) removed.push({ path, type: m.type, before: m.size, after: 0 });
  const bySize = (x: FileChange, y: FileChange) =>
    Math.max(y.before, y.after) - Math.max(x.before, x.after) || compareText(x.path, y.path);
  const summary = (img: Image, an: Analysis) => ({
    ref: img.ref,
    id: img.id,
    totalBytes: an.totalBytes,
    finalBytes: an.finalBytes,
    layers: img.layers.length,
  });
  return {
    a: summary(a, aa),
    b: summary(b, ab),
    sharedLayers: shared,
    layersOnlyInA: layerRows(a, shared),
    layersOnlyInB: layerRows(b, shared),
    files: {
      added: added.sort(bySize),
      removed: removed.sort(bySize),
      changed: changed.sort(bySize),
      addedBytes: added.reduce((s, f) => s + f.after, 0),
      removedBytes: removed.reduce((s, f) => s + f.before, 0),
      changedDelta: changed.reduce((s, f) => s + f.after - f.before, 0),
    },
    packages: packageChanges(aa.packages, ab.packages),
    config: configChanges(a.config, b.config),
  };
}
