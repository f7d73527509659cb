import { basename, dirname, isCleanPath, joinPath, normaliseEntryPath } from "../archive/paths.js";
import { type FileTree, isDir, type TreeNode, walk } from "../filetree.js";
import type { Image } from "../model.js";
import {
  distNameVersion,
  parseApkInstalled,
  parseDpkgStatus,
  parsePkgInfo,
  parseRecordPaths,
} from "./package-dbs.js";
import type { FileOwner, PackageEcosystem } from "./types.js";

export interface PackageRecord {
  ecosystem: PackageEcosystem;
  name: string;
  version: string;
  owner: FileOwner;
}

export interface Ownership {
  /**
   * The owner of a non-directory node of the final tree at `path`: its package if a package
   * database claims it, else a cache, a runtime built into /usr/local, the app, or UNKNOWN.
   * Asked by the caller's own walk of the tree, so that the tree is not walked twice.
   */
  ownerOf(node: TreeNode, path: string): FileOwner;
  packages: PackageRecord[];
  warnings: string[];
}

/** The content of a metadata file as the final tree has it (the copy of the layer that wrote it last). */
export function readMeta(image: Image, tree: FileTree, path: string): string | undefined {
  return metaOf(image, tree.get(path), path);
}

/** The content the layer that wrote `node` (found at `path`) kept for it. */
function metaOf(image: Image, node: TreeNode | undefined, path: string): string | undefined {
  if (!node || node.layer < 0) return undefined;
  return image.layers[node.layer]?.metaFiles.get(path);
}

function metaPaths(image: Image, tree: FileTree, re: RegExp): string[] {
  const seen = new Set<string>();
  for (const layer of image.layers) {
    for (const p of layer.metaFiles.keys()) if (re.test(p) && !seen.has(p) && tree.get(p)) seen.add(p);
  }
  return [...seen].sort();
}

/** A line of a dpkg .list that is not a plain absolute path: "//", a "." or ".." part, a trailing "/". */
const LIST_NEEDS_WORK = /\/\/|\/\.\.?\/|.\/\.\.?$|^\/\.\.$|\/$/m;

/** Caches a running container does not need; matched on final-tree paths. */
const CACHE_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(root|home\/[^/]+)\/\.cache\/pip\//, "pip cache"],
  [/^(root|home\/[^/]+)\/\.npm\//, "npm cache"],
  [/^(root|home\/[^/]+)\/\.cache\/yarn\/|^usr\/local\/share\/\.cache\/yarn\//, "yarn cache"],
  [/^var\/cache\/apt\//, "apt cache"],
  [/^var\/lib\/apt\/lists\//, "apt lists"],
  [/^var\/cache\/apk\//, "apk cache"],
  [/(^|\/)__pycache__\//, "__pycache__"],
  [/^(root|home\/[^/]+)\/\.cache\//, "user cache"],
];

export function cacheName(path: string): string | undefined {
  if (!path.includes("cache") && !path.includes(".npm/") && !path.includes("apt/lists/")) return undefined;
  for (const [re, name] of CACHE_PATTERNS) if (re.test(path)) return name;
  return undefined;
}

/** COPY/ADD steps bring the app in; an ADD of a root file system to "/" is a base image, not the app. */
function isCopyStep(createdBy: string): boolean {
  const s = createdBy
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, "")
    .replace(/\s+# buildkit$/, "")
    .trim();
  if (!/^(COPY|ADD)\b/i.test(s)) return false;
  const dest = s.split(/\s+/).pop() ?? "";
  // A runtime copied into system directories (node into /usr/local, a venv into /opt) is not the app itself.
  return dest !== "/" && dest !== "" && !SYSTEM_DEST.test(dest);
}

const SYSTEM_DEST = /^\/(usr|lib|lib64|bin|sbin|etc|var|opt)(\/|$)/;

/** Python distributions: RECORD paths (relative to the site-packages holding the dist-info), and eggs. */
function claimPython(
  image: Image,
  tree: FileTree,
  to: {
    claim: (path: string, owner: FileOwner) => void;
    claimSubtree: (node: TreeNode, path: string, owner: FileOwner) => void;
    packages: PackageRecord[];
  },
): void {
  const { claim, claimSubtree, packages } = to;
  for (const path of metaPaths(image, tree, /\.dist-info\/RECORD$/)) {
    const distDir = dirname(path);
    const site = dirname(distDir);
    const { name, version } = distNameVersion(basename(distDir));
    const owner: FileOwner = { kind: "python", name, version };
    packages.push({ ecosystem: "python", name, version, owner });
    for (const rel of parseRecordPaths(readMeta(image, tree, path) ?? "")) {
      claim(rel.startsWith("/") ? rel : joinPath(site, rel), owner);
    }
  }
  for (const path of metaPaths(image, tree, /\.egg-info\/PKG-INFO$/)) {
    const eggDir = dirname(path);
    const info = parsePkgInfo(readMeta(image, tree, path) ?? "");
    const fromDir = distNameVersion(basename(eggDir));
    const owner: FileOwner = {
      kind: "python",
      name: info.name ?? fromDir.name,
      version: info.version ?? fromDir.version,
    };
    packages.push({ ecosystem: "python", name: owner.name, version: owner.version ?? "", owner });
    const files = readMeta(image, tree, joinPath(eggDir, "installed-files.txt"));
    for (const rel of (files ?? "").split("\n")) if (rel.trim()) claim(joinPath(eggDir, rel.trim()), owner);
    const eggNode = tree.get(eggDir);
    if (eggNode) claimSubtree(eggNode, eggDir, owner);
  }
}

/**
 * Attributes every file of the final tree to an owner: OS packages first
 * (their databases are authoritative), then Python and npm packages, caches,
 * the app (files from COPY/ADD layers or under WORKDIR), else unknown.
 */
export function attributeOwners(image: Image, tree: FileTree): Ownership {
  // By node id: an array, not a Map keyed by node (no identity hash made for every node).
  const owners: Array<FileOwner | undefined> = new Array(tree.nodeCount).fill(undefined);
  const packages: PackageRecord[] = [];
  const warnings: string[] = [];
  // Package file lists come sorted by directory: the directory is resolved once for its files.
  const dirs = new Map<string, TreeNode | "loop" | undefined>();
  let cachedDir: string | undefined;
  let cachedDirNode: TreeNode | "loop" | undefined;
  const dirNode = (dirPath: string): TreeNode | "loop" | undefined => {
    if (dirPath === cachedDir) return cachedDirNode;
    cachedDir = dirPath;
    if (dirs.has(dirPath)) cachedDirNode = dirs.get(dirPath);
    else {
      // resolve(path, false) is: symlinks followed through the directory, the last part taken literally.
      cachedDirNode = dirPath === "" ? tree.root : tree.resolve(dirPath, false);
      // Only a symlink is followed as a directory (a hardlink node has no children to look into).
      if (typeof cachedDirNode === "object" && cachedDirNode.entry?.type === "symlink") {
        cachedDirNode = tree.resolve(dirPath, true);
      }
      dirs.set(dirPath, cachedDirNode);
    }
    return cachedDirNode;
  };
  const claimIn = (dir: TreeNode | "loop" | undefined, name: string, owner: FileOwner, path: string) => {
    if (dir === "loop") {
      warnings.push(`symlink loop while resolving ${path} (owned by ${owner.name})`);
      return;
    }
    const node = dir?.children?.get(name);
    if (!node || isDir(node) || owners[node.id] !== undefined) return;
    owners[node.id] = owner;
  };
  /** Every file under `node` not claimed yet. */
  const claimSubtree = (node: TreeNode, path: string, owner: FileOwner) =>
    walk(node, path, (n) => {
      if (!isDir(n) && owners[n.id] === undefined) owners[n.id] = owner;
    });
  const claim = (path: string, owner: FileOwner) => {
    const rel = path.startsWith("/") ? path.slice(1) : path;
    const norm = isCleanPath(rel) ? rel : normaliseEntryPath(rel).path;
    if (norm === null || norm === "") return;
    const slash = norm.lastIndexOf("/");
    claimIn(dirNode(slash < 0 ? "" : norm.slice(0, slash)), norm.slice(slash + 1), owner, path);
  };
  /**
   * A dpkg .list: one absolute path per line, a directory's files together. Walked by offsets in
   * the text (no string per line, the directory compared in place), since the lists of a Debian
   * image name every file it has; a list with any unusual line goes through `claim` line by line.
   */
  const claimList = (text: string, owner: FileOwner) => {
    if (LIST_NEEDS_WORK.test(text)) {
      for (const line of text.split("\n")) if (line.startsWith("/")) claim(line, owner);
      return;
    }
    const n = text.length;
    for (let start = 0; start < n; ) {
      let end = text.indexOf("\n", start);
      if (end < 0) end = n;
      // "/." (the root, first in every list) and lines that are not absolute paths are skipped.
      if (text.charCodeAt(start) === 0x2f && !(end - start === 2 && text.charCodeAt(start + 1) === 0x2e)) {
        const slash = text.lastIndexOf("/", end - 1);
        const dirLen = slash - start - 1;
        const same =
          cachedDir !== undefined && dirLen === cachedDir.length && text.startsWith(cachedDir, start + 1);
        const dir = same ? cachedDirNode : dirNode(dirLen <= 0 ? "" : text.slice(start + 1, slash));
        if (dir === "loop") claimIn(dir, "", owner, text.slice(start, end));
        else if (dir !== undefined && dir.children !== null && slash + 1 < end) {
          // claimIn, inlined: this runs once per line of every list, mostly before the JIT has warmed up.
          const node = dir.children.get(text.slice(slash + 1, end));
          if (node !== undefined && node.children === null && owners[node.id] === undefined)
            owners[node.id] = owner;
        }
      }
      start = end + 1;
    }
  };

  // dpkg: status lists installed packages, info/<pkg>[:arch].list their paths.
  const status = readMeta(image, tree, "var/lib/dpkg/status");
  // The lists all live in one directory: look it up once, then each list by name in it.
  const infoDir = tree.get("var/lib/dpkg/info");
  const readInfoList = (name: string) =>
    metaOf(image, infoDir?.children?.get(name), `var/lib/dpkg/info/${name}`);
  if (status !== undefined) {
    for (const p of parseDpkgStatus(status)) {
      const owner: FileOwner = { kind: "os-package", name: p.name, version: p.version };
      packages.push({ ecosystem: "deb", name: p.name, version: p.version, owner });
      const list = readInfoList(`${p.name}:${p.arch}.list`) ?? readInfoList(`${p.name}.list`);
      if (list === undefined) continue;
      claimList(list, owner);
    }
  }
  for (const path of metaPaths(image, tree, /^var\/lib\/dpkg\/status\.d\//)) {
    for (const p of parseDpkgStatus(readMeta(image, tree, path) ?? "")) {
      packages.push({
        ecosystem: "deb",
        name: p.name,
        version: p.version,
        owner: { kind: "os-package", name: p.name, version: p.version },
      });
    }
  }

  const dpkgDb = tree.get("var/lib/dpkg");
  if (dpkgDb) {
    const db: FileOwner = { kind: "os-package", name: "(dpkg database)" };
    claimSubtree(dpkgDb, "var/lib/dpkg", db);
  }

  const apk = readMeta(image, tree, "lib/apk/db/installed");
  if (apk !== undefined) {
    for (const p of parseApkInstalled(apk)) {
      const owner: FileOwner = { kind: "os-package", name: p.name, version: p.version };
      packages.push({ ecosystem: "apk", name: p.name, version: p.version, owner });
      for (const f of p.files) claim(f, owner);
    }
    const apkDb = tree.get("lib/apk/db");
    const db: FileOwner = { kind: "os-package", name: "(apk database)" };
    if (apkDb) claimSubtree(apkDb, "lib/apk/db", db);
  }

  claimPython(image, tree, { claim, claimSubtree, packages });

  // npm: each node_modules/<name>/package.json owns its directory, nested packages first.
  const pkgJsons = metaPaths(image, tree, /(^|\/)node_modules\/(@[^/]+\/)?[^/]+\/package\.json$/).sort(
    (a, b) => b.split("/").length - a.split("/").length,
  );
  for (const path of pkgJsons) {
    const dir = dirname(path);
    let name = dir.slice(dir.lastIndexOf("node_modules/") + "node_modules/".length);
    let version = "";
    try {
      const parsed = JSON.parse(readMeta(image, tree, path) ?? "{}") as { name?: unknown; version?: unknown };
      if (typeof parsed.name === "string") name = parsed.name;
      if (typeof parsed.version === "string") version = parsed.version;
    } catch {
      // Keep the directory name.
    }
    const owner: FileOwner = { kind: "npm", name, version };
    packages.push({ ecosystem: "npm", name, version, owner });
    const node = tree.get(dir);
    if (node) claimSubtree(node, dir, owner);
  }

  // Caches, then the app, then unknown: decided per file by the caller's walk.
  const appLayers = new Set<number>();
  for (const h of image.history)
    if (h.layerIndex !== null && isCopyStep(h.createdBy)) appLayers.add(h.layerIndex);
  const workdir = normaliseEntryPath(image.config.workdir).path ?? "";
  const cacheOwners = new Map<string, FileOwner>();
  const ownerOf = (n: TreeNode, path: string): FileOwner => {
    const claimed = owners[n.id];
    if (claimed) return claimed;
    const cache = cacheName(path);
    if (cache) {
      let o = cacheOwners.get(cache);
      if (!o) {
        o = { kind: "cache", name: cache };
        cacheOwners.set(cache, o);
      }
      return o;
    }
    if (path.startsWith("usr/local/")) {
      if (CPYTHON.test(path)) return CPYTHON_OWNER;
      if (NODE_RUNTIME.test(path)) return NODE_OWNER;
    }
    if (appLayers.has(n.layer) || (workdir !== "" && (path === workdir || path.startsWith(`${workdir}/`)))) {
      return APP;
    }
    return UNKNOWN;
  };
  return { ownerOf, packages, warnings };
}

/**
 * A CPython built from source into /usr/local (the official python images)
 * has no package database: its interpreter, stdlib and headers are named by path.
 */
const CPYTHON =
  /^usr\/local\/(?:lib\/python(\d+\.\d+)\/(?!site-packages\/)|bin\/(?:python|pydoc|idle|2to3)(\d+\.\d+)?\d*(?:-config)?$|lib\/libpython(\d+\.\d+)|include\/python(\d+\.\d+)\/|lib\/pkgconfig\/python)/;

/** The official Node.js binaries in /usr/local (node images): no package database either. */
const NODE_RUNTIME =
  /^usr\/local\/(bin\/(node|nodejs)$|include\/node\/|share\/(doc|man\/man1)\/node|share\/systemtap\/tapset\/node)/;
const NODE_OWNER: FileOwner = { kind: "npm", name: "node" };
const CPYTHON_OWNER: FileOwner = { kind: "python", name: "cpython" };
const APP: FileOwner = { kind: "app", name: "app" };
const UNKNOWN: FileOwner = { kind: "unknown", name: "" };
