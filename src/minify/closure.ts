import {
  type FileTree,
  MAX_SYMLINK_HOPS,
  nodeSize,
  pathOf,
  splitPath,
  type TreeNode,
  walk,
} from "../image/filetree.js";

/**
 * The closure of a traced run inside an image's final file tree: every path
 * the run looked up, with each symlink met on the way (and what it points
 * to), each hardlink's target and every parent directory. Pure: it reads the
 * merged tree the image analysis built, never the image's bytes.
 */
export interface Closure {
  /** Paths to copy, relative ("usr/bin/python3"), sorted so that a directory comes before its contents. */
  paths: string[];
  files: number;
  /** Bytes of the regular files kept. */
  bytes: number;
  /** Looked-up paths that the image does not hold (made at run time, or virtual like /proc). */
  notInImage: number;
}

export interface ClosureInput {
  tree: FileTree;
  /** Absolute paths a traced run used (symlinks unresolved, `..` allowed). */
  used: Iterable<string>;
  /** Absolute paths always kept when the image has them (loaders, /etc/passwd), as entries only. */
  always?: Iterable<string>;
  /** Absolute paths kept with everything under them (`--include`). */
  whole?: Iterable<string>;
}

/** Subtrees that the engine provides at run time: never copied. */
const VIRTUAL = new Set(["proc", "sys", "dev", ".slimstage"]);

export function computeClosure(input: ClosureInput): Closure {
  const keep = new Set<TreeNode>();
  let notInImage = 0;
  for (const p of input.used) {
    if (isVirtual(p)) continue;
    if (!resolveInto(input.tree, p, keep)) notInImage++;
  }
  for (const p of input.always ?? []) resolveInto(input.tree, p, keep);
  // Kept whole: the subtree, and what its symlinks point to (a directory whole as well).
  const walked = new Set<TreeNode>();
  const todo: TreeNode[] = [];
  for (const p of input.whole ?? []) {
    const node = resolveInto(input.tree, p, keep);
    if (node) todo.push(node);
  }
  while (todo.length > 0) {
    const top = todo.pop() as TreeNode;
    if (walked.has(top)) continue;
    walked.add(top);
    walk(top, "", (n) => {
      keepWithParents(n, keep);
      if (n.entry?.type !== "symlink" && n.entry?.type !== "hardlink") return;
      const target = resolveInto(input.tree, `/${pathOf(n)}`, keep);
      if (target?.children && !walked.has(target)) todo.push(target);
    });
  }
  const paths: string[] = [];
  let files = 0;
  let bytes = 0;
  for (const n of keep) {
    if (n.parent === null) continue;
    const path = pathOf(n);
    if (isVirtual(`/${path}`) && path.includes("/")) continue;
    paths.push(path);
    if (n.entry?.type === "file") {
      files++;
      bytes += nodeSize(n);
    }
  }
  // Code-point order with "/" first keeps each directory ahead of its contents.
  paths.sort((a, b) => {
    const x = a.replaceAll("/", "\u0000");
    const y = b.replaceAll("/", "\u0000");
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return { paths, files, bytes, notInImage };
}

function isVirtual(abs: string): boolean {
  const first = splitPath(abs)[0];
  return first !== undefined && VIRTUAL.has(first);
}

function keepWithParents(node: TreeNode, keep: Set<TreeNode>): void {
  for (let n: TreeNode | null = node; n?.parent && !keep.has(n); n = n.parent) keep.add(n);
}

/**
 * Follows `abs` through the tree as the kernel would (symlinks in every
 * component, the last one included; `..` from the directory reached),
 * keeping every node met. Returns the node it names, or undefined when the
 * image has no such path (or the symlinks loop).
 */
export function resolveInto(tree: FileTree, abs: string, keep: Set<TreeNode>): TreeNode | undefined {
  const todo = splitPath(abs).reverse();
  let cur: TreeNode = tree.root;
  let hops = 0;
  while (todo.length > 0) {
    const part = todo.pop() as string;
    if (part === "..") {
      cur = cur.parent ?? tree.root;
      continue;
    }
    const next = cur.children?.get(part);
    if (!next) return undefined;
    keepWithParents(next, keep);
    const e = next.entry;
    if (e?.type === "symlink" && e.linkTarget !== undefined) {
      if (++hops > MAX_SYMLINK_HOPS) return undefined;
      for (const t of splitPath(e.linkTarget).reverse()) todo.push(t);
      if (e.linkTarget.startsWith("/")) cur = tree.root;
      continue;
    }
    if (e?.type === "hardlink" && e.linkTarget !== undefined && todo.length === 0) {
      // The content lives at the link's target; keep it so the copy stays a link.
      const target = tree.get(e.linkTarget);
      if (target) keepWithParents(target, keep);
    }
    cur = next;
  }
  return cur;
}
