import { InputError } from "../../errors.js";
import { isDir, mergeLayers, nodeSize, pathOf, type TreeNode } from "../filetree.js";
import type { EntryType, Image } from "../model.js";
import { compareText } from "../order.js";
import { formatBytes } from "./units.js";

export interface TreeViewNode {
  name: string;
  path: string;
  type: EntryType;
  bytes: number;
  files: number;
  layer: number;
  linkTarget?: string;
  children?: TreeViewNode[];
  /** Children left out (beyond `top`), summed. */
  more?: { count: number; bytes: number };
}

export interface TreeViewOptions {
  /** Levels below PATH to show (default 3). */
  depth?: number;
  /** Children shown per directory, biggest first (default 20). */
  top?: number;
}

function sizeOf(
  node: TreeNode,
  memo: Map<TreeNode, { bytes: number; files: number }>,
): { bytes: number; files: number } {
  const hit = memo.get(node);
  if (hit) return hit;
  let r = { bytes: nodeSize(node), files: isDir(node) ? 0 : 1 };
  if (node.children) {
    for (const c of node.children.values()) {
      const s = sizeOf(c, memo);
      r = { bytes: r.bytes + s.bytes, files: r.files + s.files };
    }
  }
  memo.set(node, r);
  return r;
}

/** The merged tree under `path` (symlinks followed, loops reported), sizes summed per directory. */
export function buildTreeView(image: Image, path = "/", opts: TreeViewOptions = {}): TreeViewNode {
  const depth = opts.depth ?? 3;
  const top = opts.top ?? 20;
  const tree = mergeLayers(image.layers);
  const start = tree.resolve(path);
  if (start === "loop") throw new InputError(`--tree ${path}: too many levels of symbolic links (a loop)`);
  if (!start) throw new InputError(`--tree ${path}: no such path in the image`);
  const memo = new Map<TreeNode, { bytes: number; files: number }>();
  const view = (node: TreeNode, level: number): TreeViewNode => {
    const s = sizeOf(node, memo);
    const v: TreeViewNode = {
      name: node.parent ? node.name : "/",
      path: `/${pathOf(node)}`,
      type: isDir(node) ? "dir" : (node.entry?.type ?? "dir"),
      bytes: s.bytes,
      files: s.files,
      layer: node.layer,
    };
    if (node.entry?.linkTarget !== undefined) v.linkTarget = node.entry.linkTarget;
    if (node.children && level < depth) {
      const kids = [...node.children.values()].sort(
        (x, y) => sizeOf(y, memo).bytes - sizeOf(x, memo).bytes || compareText(x.name, y.name),
      );
      v.children = kids.slice(0, top).map((k) => view(k, level + 1));
      if (kids.length > top) {
        const rest = kids.slice(top);
        v.more = { count: rest.length, bytes: rest.reduce((a, k) => a + sizeOf(k, memo).bytes, 0) };
      }
    }
    return v;
  };
  return view(start, 0);
}

export function renderTree(root: TreeViewNode): string {
  const lines: string[] = [];
  const label = (n: TreeViewNode) => {
    const link =
      n.type === "symlink" ? ` -> ${n.linkTarget}` : n.type === "hardlink" ? ` => /${n.linkTarget}` : "";
    const suffix = n.type === "dir" && n.name !== "/" ? "/" : "";
    return `${formatBytes(n.bytes).padStart(9)}  ${n.name}${suffix}${link}`;
  };
  lines.push(`${label(root).trimStart()}  (${root.path})`);
  const walkView = (n: TreeViewNode, prefix: string) => {
    const kids = n.children ?? [];
    kids.forEach((k, i) => {
      const last = i === kids.length - 1 && !n.more;
      lines.push(`${prefix}${last ? "└── " : "├── "}${label(k).trimStart()}`);
      walkView(k, `${prefix}${last ? "    " : "│   "}`);
    });
    if (n.more) lines.push(`${prefix}└── … ${n.more.count} more, ${formatBytes(n.more.bytes)}`);
  };
  walkView(root, "");
  return lines.join("\n");
}
