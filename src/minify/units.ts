import { posix } from "node:path";
import { parseRecordPaths } from "../image/analysis/package-dbs.js";
import type { FileTree, TreeNode } from "../image/filetree.js";
import type { KeepWhy, WholeSpec } from "./closure.js";

/**
 * The units `--level safe` keeps whole, worked out from the files a traced
 * run reached: the trace decides *which* units the app uses, the unit decides
 * *what* is kept. A lazily loaded file of a used unit (an iconv charset
 * table, `encodings.unicode_escape`, a Next.js chunk) is then kept though the
 * probes never loaded it.
 */
export interface UnitContext {
  tree: FileTree;
  /** Contents of the package metadata files the image reader kept (RECORD, package.json), by relative path. */
  meta: (path: string) => string | undefined;
  /** Relative paths of every such metadata file in the final tree. */
  metaPaths: readonly string[];
  /** The image's WORKDIR (absolute; "" or "/" when it has none worth keeping whole). */
  workdir: string;
}

/** Directories that are not the app's own code, inside the app's tree: kept only as units when used. */
const NOT_APP = new Set(["node_modules", "site-packages", "dist-packages", ".git", ".venv", "venv"]);

/** Framework output and asset folders, kept whole next to app code the run used. */
const ASSET_DIRS = [".next/static", ".next/standalone", "public", "static", "dist"];

/** Where a system Python keeps its standard library (the official images: /usr/local/lib/python3.11). */
const STDLIB = /^((?:usr\/(?:local\/)?)?lib\/python\d+(?:\.\d+)?)\/([^/]+)\/./;
const STDLIB_NOT_PACKAGES = new Set(["site-packages", "dist-packages", "lib-dynload", "__pycache__"]);
const SITE = /^(.*\/(?:site|dist)-packages)\/([^/]+)/;
/** A top-level standard-library module, as source or cached bytecode: `.../python3.11/sysconfig.py`, `.../__pycache__/sysconfig.cpython-311.pyc`. */
const STDLIB_MODULE =
  /^((?:usr\/(?:local\/)?)?lib\/python\d+\.\d+)\/(?:__pycache__\/)?(\w+)(?:\.cpython-\d+(?:\.opt-\d+)?)?\.pyc?$/;
/**
 * Top-level standard-library modules that import a companion by a computed
 * name only when called: `sysconfig.get_config_vars()` loads
 * `_sysconfigdata_<abi>_<platform>_<multiarch>.py` (Werkzeug's debugger and
 * setuptools call it; a run that never did would leave it out).
 */
const STDLIB_COMPANIONS: Record<string, RegExp> = { sysconfig: /^_sysconfigdata_[\w.-]*\.py$/ };
const NODE_PACKAGE = /^(.*node_modules\/(?:@[^/]+\/)?[^/@.][^/]*)(?:\/|$)/;

/** Files that reach the CA bundle or the time-zone database when the image has them. */
const TLS_USERS = /(^|\/)(ssl\.py|_ssl\.[^/]*\.so|libssl\.so[^/]*|node)$|\/certifi\//;
// Python's zoneinfo and the packages that read zones (not the zone files themselves: a traced /etc/localtime reaches one).
const TZ_USERS = /\/python[\d.]+\/(zoneinfo\/|(site|dist)-packages\/(tzdata|pytz|dateutil|django)\/)/;
/** Node's Intl carries its own zone data (full ICU): it reads only the local zone. */
const LOCALTIME_USERS = /(^|\/)node$/;
const CA_PATHS = ["/etc/ssl", "/usr/share/ca-certificates", "/usr/lib/ssl", "/etc/ca-certificates.conf"];
const TZ_PATHS = ["/usr/share/zoneinfo", "/etc/localtime", "/etc/timezone"];

/**
 * Left out of a kept package unless traced: documentation, tests, type
 * stubs, source maps and TypeScript declarations (nothing loads them at run
 * time). Licence files stay.
 */
// A package's own node_modules holds its dependencies: kept as units of their own when declared.
const NPM_NOISE_DIRS = /(^|\/)(tests?|__tests__|docs?|examples?|\.github|benchmarks?|node_modules)(\/|$)/;
const PY_NOISE_DIRS = /(^|\/)tests(\/|$)/;
const NOISE_FILES =
  /\.(map|md|markdown|rst|pyi|d\.ts|d\.mts|d\.cts)$|(^|\/)(CHANGELOG|CHANGES|HISTORY|README)[^/]*$/i;
const LICENCE = /(^|\/)(LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*$/i;

/** The `skip` of a kept package: `rel` is below the unit's root (a directory, or a listed file). */
export function packageNoise(kind: "npm" | "python"): (rel: string, node: TreeNode) => boolean {
  const dirs = kind === "npm" ? NPM_NOISE_DIRS : PY_NOISE_DIRS;
  return (rel, node) => {
    if (node.children !== null) return dirs.test(rel);
    const slash = rel.lastIndexOf("/");
    if (slash > 0 && dirs.test(rel.slice(0, slash))) return true;
    return NOISE_FILES.test(rel) && !LICENCE.test(rel);
  };
}

interface Dist {
  name: string;
  /** The *.dist-info directory (relative). */
  infoDir: string;
  /** The site-packages directory it is installed in (relative). */
  site: string;
  files: string[];
}

/**
 * Whether a traced file of `dist` is only a start-up hook: site.py reads
 * every `*.pth` in site-packages at each start, and runs the import lines in
 * them (setuptools' `distutils-precedence.pth` imports `_distutils_hack`),
 * whatever the app is. Such a file says nothing about the app using the
 * distribution: the hook is kept, the distribution is not kept whole for it.
 */
function isStartupHook(dist: Dist, path: string): boolean {
  const top = path.slice(dist.site.length + 1).split("/")[0] ?? "";
  if (top.endsWith(".pth")) return true;
  // A private top-level package of a distribution that ships a .pth: what the .pth imports.
  return top.startsWith("_") && dist.files.some((f) => f.endsWith(".pth") && posix.dirname(f) === dist.site);
}

/** A function from the regular files the trace reached to the units kept whole (the closure's `units`). */
export function safeUnits(ctx: UnitContext): (traced: ReadonlyArray<{ path: string }>) => WholeSpec[] {
  // Every file a Python distribution's RECORD names, to its distribution.
  const distOf = new Map<string, Dist>();
  for (const record of ctx.metaPaths) {
    if (!record.endsWith(".dist-info/RECORD")) continue;
    const infoDir = posix.dirname(record);
    const site = posix.dirname(infoDir);
    const dist: Dist = { name: distName(posix.basename(infoDir)), infoDir, site, files: [] };
    for (const rel of parseRecordPaths(ctx.meta(record) ?? "")) {
      const p = posix.normalize(rel.startsWith("/") ? rel.slice(1) : `${site}/${rel}`);
      if (p.startsWith("../")) continue;
      dist.files.push(p);
      if (!distOf.has(p)) distOf.set(p, dist);
    }
  }
  const workdir = ctx.workdir.replace(/^\/+|\/+$/g, "");
  const appSkip = (rel: string, node: TreeNode) =>
    node.children !== null && NOT_APP.has(rel.split("/").pop() ?? "");

  return (traced) => {
    const specs: WholeSpec[] = [];
    const seen = new Set<string>();
    const add = (key: string, spec: WholeSpec) => {
      if (seen.has(key)) return;
      seen.add(key);
      specs.push(spec);
    };
    const npmTodo: Array<{ dir: string; why: KeepWhy }> = [];
    const paths = traced.map((t) => t.path);
    if (workdir !== "" && ctx.tree.get(workdir)?.children) {
      add(`app:${workdir}`, {
        path: `/${workdir}`,
        why: { reason: "app", unit: `app:/${workdir}` },
        skip: appSkip,
      });
    }
    // Distributions the run reached only through their start-up hooks.
    const hookOnly = new Set<Dist>();
    for (const path of paths) {
      const dist = distOf.get(path);
      if (dist && isStartupHook(dist, path)) hookOnly.add(dist);
    }
    for (const path of paths) {
      const dist = distOf.get(path);
      if (dist && !isStartupHook(dist, path)) hookOnly.delete(dist);
    }
    for (const path of paths) {
      const dist = distOf.get(path);
      if (dist && hookOnly.has(dist)) {
        // The hooks (each .pth and the private package it imports, whole) and the metadata.
        const unit = `python:${dist.name} (start-up hook)`;
        add(unit, {
          path: `/${dist.site}`,
          why: { reason: "unit", unit },
          files: [
            ...dist.files
              .filter((f) => isStartupHook(dist, f) || f.startsWith(`${dist.infoDir}/`))
              .map((f) => `/${f}`),
            `/${dist.infoDir}`,
          ],
          skip: packageNoise("python"),
        });
        continue;
      }
      if (dist) {
        const unit = `python:${dist.name}`;
        add(unit, {
          path: `/${posix.dirname(dist.infoDir)}`,
          why: { reason: "unit", unit },
          files: [...dist.files.map((f) => `/${f}`), `/${dist.infoDir}`],
          skip: packageNoise("python"),
        });
        continue;
      }
      const npm = NODE_PACKAGE.exec(path);
      if (npm) {
        const dir = npm[1] as string;
        npmTodo.push({ dir, why: { reason: "unit", unit: `npm:${npmName(dir)}` } });
        continue;
      }
      const mod = STDLIB_MODULE.exec(path);
      const companion = mod && STDLIB_COMPANIONS[mod[2] as string];
      if (mod && companion) {
        const dir = mod[1] as string;
        for (const name of ctx.tree.get(dir)?.children?.keys() ?? [])
          if (companion.test(name))
            add(`${dir}/${name}`, {
              path: `/${dir}/${name}`,
              why: { reason: "unit", unit: `stdlib:${mod[2]}` },
            });
      }
      const std = STDLIB.exec(path);
      if (std && !STDLIB_NOT_PACKAGES.has(std[2] as string)) {
        const root = `${std[1]}/${std[2]}`;
        const unit = `stdlib:${std[2]}`;
        add(root, { path: `/${root}`, why: { reason: "unit", unit }, skip: packageNoise("python") });
        continue;
      }
      const site = SITE.exec(path);
      if (site && site[2] !== "__pycache__" && ctx.tree.get(`${site[1]}/${site[2]}`)?.children) {
        // A package no RECORD names (installed by hand, or a namespace directory): its top-level directory.
        const root = `${site[1]}/${site[2]}`;
        add(root, {
          path: `/${root}`,
          why: { reason: "unit", unit: `python:${site[2]}` },
          skip: packageNoise("python"),
        });
        continue;
      }
      // App code outside the WORKDIR (a Next.js standalone server in /srv/web/.next/standalone): asset folders nearby.
      if (!/^(usr|lib|lib32|lib64|bin|sbin|etc|var|proc|sys|dev)(\/|$)/.test(path)) {
        for (let dir = posix.dirname(path); dir !== "." && dir !== ""; dir = posix.dirname(dir)) {
          for (const a of ASSET_DIRS) {
            const p = `${dir}/${a}`;
            if (ctx.tree.get(p)?.children)
              add(p, { path: `/${p}`, why: { reason: "asset", unit: `asset:/${p}` } });
          }
        }
      }
    }
    // The packages used, each with the dependencies it declares (those installed), transitively.
    const seenNpm = new Set<string>();
    while (npmTodo.length > 0) {
      const { dir, why } = npmTodo.pop() as { dir: string; why: KeepWhy };
      if (seenNpm.has(dir)) continue;
      seenNpm.add(dir);
      add(dir, { path: `/${dir}`, why, skip: packageNoise("npm") });
      for (const dep of declaredDeps(ctx.meta(`${dir}/package.json`))) {
        const found = resolveDep(ctx.tree, dir, dep);
        if (found && !seenNpm.has(found))
          npmTodo.push({ dir: found, why: { reason: "dependency", unit: `npm:${npmName(found)}` } });
      }
    }
    // System data a kept unit can reach.
    const kept = [...paths, ...specs.map((s) => s.path.slice(1)), ...specs.flatMap((s) => s.files ?? [])];
    if (kept.some((p) => TLS_USERS.test(p)))
      for (const p of CA_PATHS)
        add(p, { path: p, why: { reason: "system", unit: "system:ca-certificates" } });
    if (kept.some((p) => TZ_USERS.test(p)))
      for (const p of TZ_PATHS) add(p, { path: p, why: { reason: "system", unit: "system:tzdata" } });
    else if (kept.some((p) => LOCALTIME_USERS.test(p)))
      for (const p of TZ_PATHS.slice(1))
        add(p, { path: p, why: { reason: "system", unit: "system:tzdata" } });
    // The interpreter itself: the other names it goes by in its directory (python, python3 -> python3.11).
    for (const path of paths) {
      const dirPath = posix.dirname(path);
      if (!/(^|\/)s?bin$/.test(dirPath)) continue;
      const dir = ctx.tree.get(dirPath);
      for (const [name, child] of dir?.children ?? []) {
        if (child.entry?.type !== "symlink") continue;
        const target = ctx.tree.resolve(`${dirPath}/${name}`, true);
        if (typeof target === "object" && pathOfNode(target) === path)
          add(`${dirPath}/${name}`, {
            path: `/${dirPath}/${name}`,
            why: { reason: "runtime", unit: `runtime:/${path}` },
          });
      }
    }
    return specs;
  };
}

function pathOfNode(node: TreeNode): string {
  const parts: string[] = [];
  for (let n: TreeNode | null = node; n?.parent; n = n.parent) parts.push(n.name);
  return parts.reverse().join("/");
}

/** "Flask-3.0.0.dist-info" -> "flask". */
function distName(dirName: string): string {
  return (dirName.replace(/\.dist-info$/, "").split("-")[0] ?? dirName).toLowerCase().replace(/_/g, "-");
}

function npmName(dir: string): string {
  return dir.slice(dir.lastIndexOf("node_modules/") + "node_modules/".length);
}

/** The dependency names the image reader kept from a package.json (see archive/meta-files.ts). */
function declaredDeps(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const o = JSON.parse(text) as { dependencies?: unknown };
    return Array.isArray(o.dependencies)
      ? o.dependencies.filter((d): d is string => typeof d === "string")
      : [];
  } catch {
    return [];
  }
}

/** Node's lookup: `<dir>/node_modules/<dep>`, then the same in each directory above. */
function resolveDep(tree: FileTree, dir: string, dep: string): string | undefined {
  for (let cur = dir; ; cur = posix.dirname(cur)) {
    if (posix.basename(cur) === "node_modules") continue;
    const p = cur === "." || cur === "" ? `node_modules/${dep}` : `${cur}/node_modules/${dep}`;
    if (tree.get(p)?.children) return p;
    if (cur === "." || cur === "") return undefined;
  }
}
