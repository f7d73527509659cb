import type { FileEntry, Layer } from "./model.js";

/**
 * The merged file tree: layers applied in order with overlay semantics
 * (whiteouts and opaque dirs delete what lower layers wrote, a later entry
 * replaces an earlier one). Pure data; no file system is touched.
 */
export interface TreeNode {
  /** Creation order within its tree, dense from 0: per-node data can live in an array. */
  id: number;
  name: string;
  /** The entry as written by `layer`; null for a directory no layer wrote explicitly. */
  entry: FileEntry | null;
  /** Filesystem layer index that wrote this node (-1 for an implicit directory). */
  layer: number;
  children: Map<string, TreeNode> | null;
  parent: TreeNode | null;
}

/** Called for every regular-file byte that leaves the tree, and why. */
export interface TreeEvents {
  /** A node (and its subtree) is removed by layer `by`. */
  removed?(node: TreeNode, path: string, by: number, how: "deleted" | "overwritten"): void;
  /** A non-directory entry is written: new path (`replaced` false) or replacing a lower file. */
  written?(entry: FileEntry, layer: number, replaced: boolean): void;
  /** A whiteout is applied to `path`; `lowerBytes` is the file bytes it hid. */
  whiteout?(path: string, layer: number, lowerBytes: number, lowerWasDir: boolean): void;
  warning?(message: string): void;
}

export const MAX_SYMLINK_HOPS = 40; // Linux's limit before ELOOP

export function isDir(node: TreeNode): boolean {
  return node.children !== null;
}

export function nodeSize(node: TreeNode): number {
  return node.entry !== null && node.entry.type === "file" ? node.entry.size : 0;
}

export function splitPath(path: string): string[] {
  return path.split("/").filter((p) => p !== "" && p !== ".");
}

export function pathOf(node: TreeNode): string {
  const parts: string[] = [];
  for (let n: TreeNode | null = node; n?.parent; n = n.parent) parts.push(n.name);
  return parts.reverse().join("/");
}

export class FileTree {
  readonly root: TreeNode = { id: 0, name: "", entry: null, layer: -1, children: new Map(), parent: null };
  /** Nodes created so far (removed ones included): the bound of every node's id. */
  nodeCount = 1;

  /** Looks a path up literally (no symlinks followed), as overlayfs applies layers. */
  get(path: string): TreeNode | undefined {
    let node: TreeNode = this.root;
    if (path === "") return node;
    const parts =
      path.startsWith("/") || path.includes("//") || path.endsWith("/") || path.includes("./")
        ? splitPath(path)
        : path.split("/");
    for (const part of parts) {
      const next = node.children?.get(part);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  /** Applies one layer on top of the tree. Whiteouts first: they only hide lower layers. */
  applyLayer(layer: Layer, ev: TreeEvents = {}): void {
    const by = layer.index;
    for (const wh of layer.whiteouts) {
      const node = this.get(wh.path);
      if (!node) continue;
      if (wh.opaque) {
        if (!node.children) continue;
        for (const child of [...node.children.values()]) {
          this.remove(child, by, "deleted", ev);
        }
        continue;
      }
      if (node === this.root) continue;
      ev.whiteout?.(wh.path, by, subtreeBytes(node), isDir(node));
      this.remove(node, by, "deleted", ev);
    }
    for (const entry of layer.entries) this.write(entry, by, ev);
  }

  /** The directory of the last written entry: tar entries come grouped by directory. */
  private lastDirPath: string | undefined;
  private lastDirNode: TreeNode = this.root;

  private write(entry: FileEntry, by: number, ev: TreeEvents): void {
    const path = entry.path;
    if (path === "") {
      // The root itself: keep its metadata from the newest layer.
      if (entry.type === "dir") {
        this.root.entry = entry;
        this.root.layer = by;
      }
      return;
    }
    const slash = path.lastIndexOf("/");
    const last = this.lastDirPath;
    let dir: TreeNode;
    // Same directory as the previous entry: compared in place, no dirname string per entry.
    if (last !== undefined && (slash < 0 ? last === "" : slash === last.length && path.startsWith(last))) {
      dir = this.lastDirNode;
    } else {
      const dirPath = slash < 0 ? "" : path.slice(0, slash);
      dir = this.ensureDir(dirPath, by, ev);
      this.lastDirPath = dirPath;
      this.lastDirNode = dir;
    }
    this.place(dir, path.slice(slash + 1), entry, by, ev);
  }

  /** Finds or creates the directory at `dirPath` (entry paths are normalised: no "." or empty parts). */
  private ensureDir(dirPath: string, by: number, ev: TreeEvents): TreeNode {
    let dir = this.root;
    if (dirPath === "") return dir;
    let rest = dirPath;
    // Tar lists a directory's subdirectories right after it: walk down from the last directory.
    const last = this.lastDirPath;
    if (
      last !== undefined &&
      last !== "" &&
      dirPath.length > last.length &&
      dirPath.charCodeAt(last.length) === 0x2f &&
      dirPath.startsWith(last)
    ) {
      dir = this.lastDirNode;
      rest = dirPath.slice(last.length + 1);
    }
    for (const part of rest.split("/")) {
      const children = dir.children;
      if (children === null) throw new Error(`internal: "${dirPath}" walks through a non-directory`);
      let next = children.get(part);
      if (next && !next.children) {
        // A lower non-directory stands where this layer needs a directory: the layer replaces it.
        this.remove(next, by, "overwritten", ev);
        next = undefined;
      }
      if (!next) {
        next = { id: this.nodeCount++, name: part, entry: null, layer: -1, children: new Map(), parent: dir };
        children.set(part, next);
      }
      dir = next;
    }
    return dir;
  }

  private place(dir: TreeNode, name: string, entry: FileEntry, by: number, ev: TreeEvents): void {
    const children = dir.children;
    if (children === null) throw new Error(`internal: placing "${name}" in a non-directory`);
    const existing = children.get(name);
    if (entry.type === "dir") {
      if (existing?.children) {
        existing.entry = entry;
        existing.layer = by;
        return;
      }
      if (existing) this.remove(existing, by, "overwritten", ev);
      children.set(name, {
        id: this.nodeCount++,
        name,
        entry,
        layer: by,
        children: new Map(),
        parent: dir,
      });
      return;
    }
    if (existing) this.remove(existing, by, "overwritten", ev);
    ev.written?.(entry, by, existing !== undefined);
    children.set(name, { id: this.nodeCount++, name, entry, layer: by, children: null, parent: dir });
  }

  private remove(node: TreeNode, by: number, how: "deleted" | "overwritten", ev: TreeEvents): void {
    this.lastDirPath = undefined; // the cached directory may be the one leaving
    const parent = node.parent;
    const removed = ev.removed;
    if (removed) {
      const base = pathOf(node);
      walk(node, base, (n, p) => removed(n, p, by, how));
    }
    parent?.children?.delete(node.name);
    node.parent = null;
  }

  /**
   * Resolves a path following symlinks (also in the last component when
   * `followLast`), as the kernel would inside the container. Returns
   * undefined for a missing path and "loop" past MAX_SYMLINK_HOPS.
   */
  resolve(path: string, followLast = true): TreeNode | "loop" | undefined {
    // Fast path: a path that exists literally has no symlink before its last part
    // (a symlink node has no children to walk through).
    const literal = this.get(path);
    if (
      literal &&
      (!followLast || (literal.entry?.type !== "symlink" && literal.entry?.type !== "hardlink"))
    ) {
      return literal;
    }
    let hops = 0;
    let pending = splitPath(path);
    let at = 0;
    let node: TreeNode = this.root;
    while (at < pending.length) {
      // biome-ignore lint/style/noNonNullAssertion: at < pending.length (the loop condition)
      const part = pending[at++]!;
      if (part === "..") {
        node = node.parent ?? this.root;
        continue;
      }
      const next = node.children?.get(part);
      if (!next) return undefined;
      const isLast = at === pending.length;
      if (next.entry?.type === "symlink" && (!isLast || followLast)) {
        if (++hops > MAX_SYMLINK_HOPS) return "loop";
        const target = next.entry.linkTarget ?? "";
        if (target.startsWith("/")) node = this.root;
        pending = [...splitPath(target), ...pending.slice(at)];
        at = 0;
        continue;
      }
      if (next.entry?.type === "hardlink" && isLast && followLast && next.entry.linkTarget) {
        const t = this.get(next.entry.linkTarget);
        return t ?? next;
      }
      node = next;
    }
    return node;
  }
}

/** Visits `node` and everything under it, depth first, parents before children. */
export function walk(node: TreeNode, path: string, fn: (n: TreeNode, path: string) => void): void {
  fn(node, path);
  if (!node.children) return;
  for (const child of node.children.values()) {
    // An entry written by a layer already carries its normalised path: no new string needed.
    walk(child, child.entry?.path ?? (path === "" ? child.name : `${path}/${child.name}`), fn);
  }
}

export function subtreeBytes(node: TreeNode): number {
  let total = 0;
  walk(node, "", (n) => {
    total += nodeSize(n);
  });
  return total;
}

/** Builds the final tree of a list of layers. */
export function mergeLayers(layers: readonly Layer[], ev: TreeEvents = {}): FileTree {
  const tree = new FileTree();
  for (const layer of layers) tree.applyLayer(layer, ev);
  return tree;
}
