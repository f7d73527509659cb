import {
  type FileTree,
  MAX_SYMLINK_HOPS,
  nodeSize,
  pathOf,
  splitPath,
  type TreeNode,
} from "../image/filetree.js";

/**
 * The closure of a traced run inside an image's final file tree: every path
 * the run looked up, with each symlink met on the way (and what it points
 * to), each hardlink's target and every parent directory; then, at `--level
 * safe`, the whole units those paths belong to (see units.ts). Pure: it reads
 * the merged tree the image analysis built, never the image's bytes.
 */
export interface Closure {
  /** Paths to copy, relative ("usr/bin/python3"), sorted so that a directory comes before its contents. */
  paths: string[];
  files: number;
  /** Bytes of the regular files kept. */
  bytes: number;
  /** Looked-up paths that the image does not hold (made at run time, or virtual like /proc). */
  notInImage: number;
  /** Why each kept non-directory entry is kept (relative path -> the first reason that reached it). */
  why: Map<string, KeepWhy>;
}

/**
 * Why a path is kept: the run used it; the runtime always needs it (loader,
 * user database); `--include`; the whole unit of a traced file; a declared
 * dependency of a kept unit; the app's own tree; an asset folder; system data
 * a kept unit can reach (CA certificates, time zones).
 */
export type KeepReason =
  | "traced"
  | "runtime"
  | "include"
  | "unit"
  | "dependency"
  | "app"
  | "asset"
  | "system";

export interface KeepWhy {
  reason: KeepReason;
  /** The unit ("python:flask", "stdlib:encodings", "npm:iconv-lite", "app:/app"), when kept as part of one. */
  unit?: string;
}

/** A unit kept whole: a subtree (minus what `skip` drops), or an explicit list of paths. */
export interface WholeSpec {
  /** Absolute path of the subtree's root (symlinks in it followed). */
  path: string;
  why: KeepWhy;
  /** Paths (absolute) kept instead of the whole subtree: a Python distribution's RECORD. */
  files?: string[];
  /** Entries under the unit left out unless traced; `rel` is the path below the unit's root. */
  skip?: (rel: string, node: TreeNode) => boolean;
}

export interface ClosureInput {
  tree: FileTree;
  /** Absolute paths a traced run used (symlinks unresolved, `..` allowed). */
  used: Iterable<string>;
  /** Absolute paths always kept when the image has them (loaders, /etc/passwd), as entries only. */
  always?: Iterable<string>;
  /** Absolute paths kept with everything under them (`--include`). */
  whole?: Iterable<string>;
  /** Units kept whole, worked out from the regular files the trace reached (absent: the file-grained closure). */
  units?: (traced: ReadonlyArray<{ node: TreeNode; path: string }>) => WholeSpec[];
}

/** Subtrees that the engine provides at run time: never copied. */
const VIRTUAL = new Set(["proc", "sys", "dev", ".slimstage"]);

/** What resolveInto records nodes in: a plain Set, or the closure's keeper with its reasons. */
export interface NodeSink {
  has(node: TreeNode): boolean;
  add(node: TreeNode): unknown;
}

/** The kept nodes, each with the reason that was current when it was first reached. */
class Keeper implements NodeSink {
  readonly nodes = new Map<TreeNode, KeepWhy>();
  why: KeepWhy = { reason: "traced" };
  has(node: TreeNode): boolean {
    return this.nodes.has(node);
  }
  add(node: TreeNode): void {
    const had = this.nodes.get(node);
    if (!had) this.nodes.set(node, this.why);
    // A traced file is named with the unit it belongs to when a unit reaches it.
    else if (had.reason === "traced" && !had.unit && this.why.unit)
      this.nodes.set(node, { reason: "traced", unit: this.why.unit });
  }
}

export function computeClosure(input: ClosureInput): Closure {
  const keep = new Keeper();
  let notInImage = 0;
  const traced: Array<{ node: TreeNode; path: string }> = [];
  for (const p of input.used) {
    if (isVirtual(p)) continue;
    const node = resolveInto(input.tree, p, keep);
    if (!node) notInImage++;
    else if (node.children === null && node.parent) traced.push({ node, path: pathOf(node) });
  }
  keep.why = { reason: "runtime" };
  for (const p of input.always ?? []) resolveInto(input.tree, p, keep);
  const specs: WholeSpec[] = (input.whole ? [...input.whole] : []).map((path) => ({
    path,
    why: { reason: "include" as const, unit: `include:${path}` },
  }));
  if (input.units) specs.push(...input.units(traced));
  // Kept whole: the subtree, and what its symlinks point to (a directory whole as well, for the same reason).
  const walked = new Set<TreeNode>();
  for (const spec of specs) {
    keep.why = spec.why;
    if (spec.files) {
      for (const f of spec.files) {
        const node = input.tree.get(f);
        if (!node || spec.skip?.(f.slice(spec.path.length + 1), node)) continue;
        resolveInto(input.tree, f, keep);
        keep.add(node);
      }
      continue;
    }
    const root = resolveInto(input.tree, spec.path, keep);
    if (!root) continue;
    const todo: TreeNode[] = [root];
    while (todo.length > 0) {
      const top = todo.pop() as TreeNode;
      if (walked.has(top)) continue;
      walked.add(top);
      walkSkipping(top, "", spec.skip, (n) => {
        keepWithParents(n, keep);
        keep.add(n);
        if (n.entry?.type !== "symlink" && n.entry?.type !== "hardlink") return;
        const target = resolveInto(input.tree, `/${pathOf(n)}`, keep);
        if (target?.children && !walked.has(target)) todo.push(target);
      });
    }
  }
  const paths: string[] = [];
  const why = new Map<string, KeepWhy>();
  let files = 0;
  let bytes = 0;
  for (const [n, w] of keep.nodes) {
    if (n.parent === null) continue;
    const path = pathOf(n);
    if (isVirtual(`/${path}`) && path.includes("/")) continue;
    paths.push(path);
    if (n.children === null) why.set(path, w);
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
  return { paths, files, bytes, notInImage, why };
}

/** walk(), leaving out (with everything under them) the entries `skip` names. */
function walkSkipping(node: TreeNode, rel: string, skip: WholeSpec["skip"], fn: (n: TreeNode) => void): void {
  fn(node);
  if (!node.children) return;
  for (const child of node.children.values()) {
    const r = rel === "" ? child.name : `${rel}/${child.name}`;
    if (skip?.(r, child)) continue;
    walkSkipping(child, r, skip, fn);
  }
}

function isVirtual(abs: string): boolean {
  const first = splitPath(abs)[0];
  return first !== undefined && VIRTUAL.has(first);
}

function keepWithParents(node: TreeNode, keep: NodeSink): void {
  for (let n: TreeNode | null = node; n?.parent && !keep.has(n); n = n.parent) keep.add(n);
}

/**
 * Follows `abs` through the tree as the kernel would (symlinks in every
 * component, the last one included; `..` from the directory reached),
 * keeping every node met. Returns the node it names, or undefined when the
 * image has no such path (or the symlinks loop).
 */
export function resolveInto(tree: FileTree, abs: string, keep: NodeSink): TreeNode | undefined {
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
