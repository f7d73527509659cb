import { dirname } from "../archive/paths.js";
import { FileTree, isDir, nodeSize, subtreeBytes } from "../filetree.js";
import type { FileEntry, Image } from "../model.js";
import type { CountedBytes, DiveComparison, WastedFile } from "./types.js";

export interface LayerStats {
  added: CountedBytes;
  changed: CountedBytes;
  removed: CountedBytes;
  /** Bytes this layer added that later layers deleted or overwrote. */
  wastedBytes: number;
}

export interface MergeResult {
  tree: FileTree;
  stats: LayerStats[];
  wastedFiles: WastedFile[];
  dive: DiveComparison;
}

const zero = (): CountedBytes => ({ files: 0, bytes: 0 });

/**
 * Applies the layers in order, recording per layer what it added, changed
 * and removed, which bytes end up wasted, and dive's efficiency figures
 * (computed the way dive does, for comparison; see docs/inspect.md).
 */
export function mergeWithStats(image: Image): MergeResult {
  const tree = new FileTree();
  const stats: LayerStats[] = image.layers.map(() => ({
    added: zero(),
    changed: zero(),
    removed: zero(),
    wastedBytes: 0,
  }));
  const wastedFiles: WastedFile[] = [];
  // dive: per path, the sum of its sizes over the layers it appears in, and the smallest. Only the
  // totals are reported, so they are kept running: per path just its smallest size (no object per path).
  const diveMin = new Map<string, number>();
  const diveRepeated = new Set<string>();
  let minSum = 0;
  let cumSum = 0;
  let wasted = 0;
  const diveSee = (path: string, size: number) => {
    cumSum += size;
    const min = diveMin.get(path);
    if (min === undefined) {
      diveMin.set(path, size);
      minSum += size;
      return;
    }
    // The first repeat makes the path's first size wasted too (it was the only size seen, so its min).
    if (!diveRepeated.has(path)) {
      diveRepeated.add(path);
      wasted += min;
    }
    wasted += size;
    if (size < min) {
      diveMin.set(path, size);
      minSum -= min - size;
    }
  };

  for (const layer of image.layers) {
    // dive walks each layer's own tree and counts its leaves; a whiteout of a
    // directory counts the directory's lower bytes, of a file nothing.
    const parents = new Set<string>();
    let lastDir: string | undefined;
    const addAncestors = (path: string) => {
      // Entries come grouped by directory: skip the dirname walk when the directory is the last one.
      const slash = path.lastIndexOf("/");
      if (
        lastDir !== undefined &&
        (slash < 0 ? lastDir === "" : slash === lastDir.length && path.startsWith(lastDir))
      )
        return;
      lastDir = slash < 0 ? "" : path.slice(0, slash);
      for (let d = lastDir; d !== "" && !parents.has(d); d = dirname(d)) parents.add(d);
    };
    for (const w of layer.whiteouts) addAncestors(w.path);
    for (const w of layer.whiteouts) {
      if (w.opaque) continue;
      const lower = tree.get(w.path);
      diveSee(w.path, lower && isDir(lower) ? subtreeBytes(lower) : 0);
    }
    // One pass over the entries: directories wait until every entry's ancestors are known (the
    // totals do not depend on the order in which paths are seen).
    const dirs: FileEntry[] = [];
    for (const e of layer.entries) {
      addAncestors(e.path);
      if (e.type === "dir") dirs.push(e);
      else diveSee(e.path, e.size);
    }
    for (const e of dirs) if (!parents.has(e.path)) diveSee(e.path, e.size);

    const s = stats[layer.index];
    if (s === undefined) throw new Error(`internal: no stats for layer ${layer.index}`);
    tree.applyLayer(layer, {
      removed(node, path, by, how) {
        if (isDir(node)) return;
        const size = nodeSize(node);
        if (how === "deleted") {
          s.removed.files++;
          s.removed.bytes += size;
        }
        if (node.layer >= 0 && size > 0) {
          const earlier = stats[node.layer];
          if (earlier === undefined) throw new Error(`internal: no stats for layer ${node.layer}`);
          earlier.wastedBytes += size;
          wastedFiles.push({ path: `/${path}`, bytes: size, addedIn: node.layer, removedIn: by, how });
        }
      },
      written(entry, _layer, replaced) {
        const c = replaced ? s.changed : s.added;
        c.files++;
        c.bytes += entry.size;
      },
    });
  }

  return {
    tree,
    stats,
    wastedFiles,
    dive: { efficiency: cumSum === 0 ? 1 : minSum / cumSum, wastedBytes: wasted },
  };
}
