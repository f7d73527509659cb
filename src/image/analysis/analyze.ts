import { nodeSize, type TreeNode } from "../filetree.js";
import type { CompressedSizeKind, Image } from "../model.js";
import { compareText } from "../order.js";
import { categorize } from "./categories.js";
import { buildFindings } from "./findings.js";
import { mergeWithStats } from "./layer-stats.js";
import { attributeOwners } from "./owners.js";
import {
  type Analysis,
  BUILD_ONLY_CATEGORIES,
  type BuildOnlyCategory,
  CATEGORY_LABELS,
  type CategoryBytes,
  type FileBytes,
  type FileOwner,
  type ImagePackage,
  type LayerAnalysis,
  type OwnerBytes,
  type OwnerKind,
} from "./types.js";

export interface AnalyzeOptions {
  /** How many biggest files / dirs / wasted files to list (default 20). */
  top?: number;
  /** Findings below this many bytes are not reported (default 1 MiB). */
  minFindingBytes?: number;
}

function ownerKey(o: FileOwner): string {
  return `${o.kind}\u0000${o.name}\u0000${o.version ?? ""}`;
}

/** Keeps the `n` largest items seen, without sorting everything (bounded memory on huge trees). */
class TopN<T> {
  private items: T[] = [];
  constructor(
    private readonly n: number,
    private readonly size: (t: T) => number,
  ) {}
  /** Items smaller than this cannot enter any more (the smallest kept at the last trim). */
  floor = -1;
  add(t: T): void {
    // An item no bigger than the smallest kept at the last trim would be cut at the next one.
    if (this.size(t) <= this.floor) return;
    this.items.push(t);
    if (this.items.length > this.n * 4) this.trim();
  }
  private trim(): void {
    this.items.sort((a, b) => this.size(b) - this.size(a));
    this.items.length = Math.min(this.items.length, this.n);
    const last = this.items[this.n - 1];
    if (this.items.length === this.n && last !== undefined) this.floor = this.size(last);
  }
  result(): T[] {
    this.trim();
    return this.items;
  }
}

/** Each history entry as a layer: its sizes, waste and changes (an empty entry for a metadata-only step). */
function layerAnalyses(image: Image, merged: ReturnType<typeof mergeWithStats>): LayerAnalysis[] {
  return image.history.map((h, index) => {
    const common = { index, createdBy: h.createdBy };
    if (h.layerIndex === null) {
      return {
        ...common,
        layerIndex: null,
        digest: null,
        size: 0,
        compressedBytes: 0,
        compressedSizeKind: "real" as CompressedSizeKind,
        wastedBytes: 0,
        added: { files: 0, bytes: 0 },
        changed: { files: 0, bytes: 0 },
        removed: { files: 0, bytes: 0 },
        empty: true,
      };
    }
    const l = image.layers[h.layerIndex];
    const s = merged.stats[h.layerIndex];
    if (l === undefined || s === undefined)
      throw new Error(`internal: history points at layer ${h.layerIndex}, not in the image`);
    return {
      ...common,
      layerIndex: h.layerIndex,
      digest: l.diffId,
      size: l.size,
      compressedBytes: l.compressedBytes,
      compressedSizeKind: l.compressedSizeKind,
      wastedBytes: s.wastedBytes,
      added: s.added,
      changed: s.changed,
      removed: s.removed,
      empty: false,
    };
  });
}

/** The image's compressed size, and whether it is real, estimated or unknown (any layer unknown: unknown). */
function compressedOf(image: Image): {
  compressedSizeKind: CompressedSizeKind;
  compressedBytes: number | null;
} {
  const kinds = new Set(image.layers.map((l) => l.compressedSizeKind));
  const compressedSizeKind: CompressedSizeKind =
    image.layers.length === 0
      ? "real"
      : kinds.has("unknown")
        ? "unknown"
        : kinds.has("estimated")
          ? "estimated"
          : "real";
  const compressedBytes =
    compressedSizeKind === "unknown" ? null : image.layers.reduce((a, l) => a + (l.compressedBytes ?? 0), 0);
  return { compressedSizeKind, compressedBytes };
}

/**
 * The analysis of an image: a pure function of the model. Everything the
 * tty view, the JSON output, the CI gates and `diff` show comes from here.
 */
export function analyzeImage(image: Image, opts: AnalyzeOptions = {}): Analysis {
  const top = opts.top ?? 20;
  const merged = mergeWithStats(image);
  const { tree } = merged;
  const ownership = attributeOwners(image, tree);

  const byOwnerMap = new Map<string, OwnerBytes>();
  const byOwnerObject = new Map<FileOwner, OwnerBytes>();
  const byOwnerKind: Record<OwnerKind, number> = {
    "os-package": 0,
    python: 0,
    npm: 0,
    app: 0,
    cache: 0,
    unknown: 0,
  };
  const catTotals = new Map<BuildOnlyCategory, { files: number; bytes: number; top: Map<string, number> }>();
  const biggest = new TopN<FileBytes>(top, (f) => f.bytes);
  let finalBytes = 0;
  let fileCount = 0;

  let lastOwner: FileOwner | undefined;
  let lastOb: OwnerBytes | undefined;
  // One depth-first pass: each file is counted, attributed and categorised, and on the way back
  // each directory gets its totals, for the biggest directories (4 levels deep at most; deeper
  // ones are for --tree). Totals come back through these two, not an object per directory.
  const biggestDirs = new TopN<{ path: string; bytes: number; files: number }>(top, (d) => d.bytes);
  let dirBytes = 0;
  let dirFiles = 0;
  const visit = (children: Map<string, TreeNode>, dirPath: string, depth: number): void => {
    let bytes = 0;
    let files = 0;
    for (const node of children.values()) {
      // An entry written by a layer carries its normalised path: no new string needed.
      const path = node.entry?.path ?? (dirPath === "" ? node.name : `${dirPath}/${node.name}`);
      if (node.children !== null) {
        visit(node.children, path, depth + 1);
        bytes += dirBytes;
        files += dirFiles;
        continue;
      }
      const size = nodeSize(node);
      bytes += size;
      files++;
      fileCount++;
      finalBytes += size;
      const owner = ownership.ownerOf(node, path);
      // Owners are shared objects (one per package): the string key is built once per owner, not per
      // file; and a package's files mostly come one after another.
      let ob = owner === lastOwner ? lastOb : byOwnerObject.get(owner);
      if (!ob) {
        const key = ownerKey(owner);
        ob = byOwnerMap.get(key);
        if (!ob) {
          ob = { kind: owner.kind, name: owner.name, files: 0, bytes: 0 };
          if (owner.version !== undefined) ob.version = owner.version;
          byOwnerMap.set(key, ob);
        }
        byOwnerObject.set(owner, ob);
      }
      lastOwner = owner;
      lastOb = ob;
      ob.files++;
      ob.bytes += size;
      byOwnerKind[owner.kind] += size;
      const cat = categorize(path, owner);
      if (cat) {
        let c = catTotals.get(cat);
        if (!c) {
          c = { files: 0, bytes: 0, top: new Map() };
          catTotals.set(cat, c);
        }
        c.files++;
        c.bytes += size;
        const who =
          owner.kind === "os-package" ||
          owner.kind === "python" ||
          owner.kind === "npm" ||
          owner.kind === "cache"
            ? owner.name
            : `/${path.split("/").slice(0, 3).join("/")}`;
        c.top.set(who, (c.top.get(who) ?? 0) + size);
      }
      if (size > 0 && size > biggest.floor) {
        const f: FileBytes = { path: `/${path}`, bytes: size, layerIndex: node.layer };
        if (owner.kind !== "unknown") f.owner = owner;
        biggest.add(f);
      }
    }
    if (depth >= 1 && depth <= 4) biggestDirs.add({ path: `/${dirPath}`, bytes, files });
    dirBytes = bytes;
    dirFiles = files;
  };
  if (tree.root.children === null) throw new Error("internal: the merged tree's root is not a directory");
  visit(tree.root.children, "", 0);

  const byCategory: CategoryBytes[] = [];
  for (const c of BUILD_ONLY_CATEGORIES) {
    const t = catTotals.get(c);
    if (t === undefined) continue;
    byCategory.push({
      category: c,
      label: CATEGORY_LABELS[c],
      files: t.files,
      bytes: t.bytes,
      top: [...t.top.entries()]
        .map(([name, bytes]) => ({ name, bytes }))
        .sort((a, b) => b.bytes - a.bytes || compareText(a.name, b.name))
        .slice(0, 8),
    });
  }
  const buildOnlyBytes = byCategory.reduce((a, c) => a + c.bytes, 0);

  const packages: ImagePackage[] = ownership.packages.map((p) => {
    const ob = byOwnerMap.get(ownerKey(p.owner));
    return {
      ecosystem: p.ecosystem,
      name: p.name,
      version: p.version,
      bytes: ob?.bytes ?? 0,
      files: ob?.files ?? 0,
    };
  });
  packages.sort((a, b) => compareText(a.ecosystem, b.ecosystem) || compareText(a.name, b.name));

  const totalBytes = image.layers.reduce((a, l) => a + l.size, 0);
  const layers = layerAnalyses(image, merged);
  const { compressedSizeKind, compressedBytes } = compressedOf(image);

  const wastedFiles = merged.wastedFiles.sort((a, b) => b.bytes - a.bytes || compareText(a.path, b.path));
  const wastedBytes = totalBytes - finalBytes;
  const byOwner = [...byOwnerMap.values()].sort((a, b) => b.bytes - a.bytes || compareText(a.name, b.name));
  const analysis: Analysis = {
    ref: image.ref,
    scheme: image.scheme,
    imageId: image.id,
    repoTags: image.repoTags,
    config: image.config,
    finalBytes,
    totalBytes,
    compressedBytes,
    compressedEstimated: compressedSizeKind === "estimated",
    compressedSizeKind,
    layers,
    digestsVerified: image.layers.every((l) => l.verified),
    wastedBytes,
    efficiency: totalBytes === 0 ? 1 : finalBytes / totalBytes,
    dive: merged.dive,
    fileCount,
    byOwner,
    byOwnerKind,
    byCategory,
    buildOnlyBytes,
    packages,
    biggestFiles: biggest.result(),
    biggestDirs: biggestDirs.result(),
    wastedFiles: wastedFiles.slice(0, top),
    findings: [],
    warnings: [...image.warnings, ...ownership.warnings],
  };
  analysis.findings = buildFindings(analysis, merged.wastedFiles, opts.minFindingBytes ?? 1024 * 1024);
  return analysis;
}
