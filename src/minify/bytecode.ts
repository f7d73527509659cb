import { posix } from "node:path";
import { type FileTree, pathOf } from "../image/filetree.js";
import type { Closure } from "./closure.js";

/**
 * Sourceless bytecode: a kept library module (standard library,
 * site-packages, a virtualenv) is shipped as `name.pyc` in the legacy
 * location, compiled by the image's own interpreter, instead of `name.py`
 * plus `__pycache__/name.cpython-3N.pyc`. The interpreter imports a lone
 * `.pyc` (SourcelessFileLoader) and finds its prefix by `os.pyc` as by
 * `os.py`; the source and the cached bytecode are no longer both needed.
 * The app's own code (outside `lib/python3.N/`) and what `--include` names
 * keep their sources.
 *
 * The standard library's pure-Python modules go one step further: into
 * `PREFIX/lib/python3N.zip`, the archive CPython puts on `sys.path` before
 * the standard library's folder (zipimport, the layout of Python's own
 * embeddable distribution). Deflated, they take about 40% of their loose
 * size (5.4 MB of `.pyc` to 2.2 MB for a Flask app's closure). A top-level
 * package goes in only when every file kept under it is compiled (a package
 * with data files, extension modules or links stays loose, since its code
 * may look for them next to `__file__`), and `os` stays loose: it is the
 * landmark by which the interpreter finds its prefix.
 */
export interface BytecodePlan {
  /** The interpreter that compiles (absolute path in the image). */
  python: string;
  /** Kept sources (relative) compiled to `<stem>.pyc` next to where they were. */
  sources: string[];
  /** Relative paths left out of the copied closure: those sources, their cached bytecode, emptied `__pycache__` directories, the folders of archived packages. */
  dropped: Set<string>;
  /** Standard-library modules compiled into the interpreter's zip archive instead of loose `.pyc` files. */
  archive?: StdlibArchive;
}

export interface StdlibArchive {
  /** The archive (relative), `usr/local/lib/python311.zip`. */
  path: string;
  /** The standard library's folder (relative), `usr/local/lib/python3.11`: archive names are relative to it. */
  stdlib: string;
  /** The sources it holds (relative, a subset of the plan's sources). */
  sources: string[];
  /** The package folders it stands for (relative), left out of the closure. */
  dirs: string[];
}

/** What follows `name.` in a cached bytecode file: `cpython-311.pyc`, `cpython-311.opt-1.pyc`. */
const CACHE_TAG = /^[a-z]+-\d+(\.opt-\d+)?\.pyc$/;
/** `/usr/local/bin/python3.11` -> "3.11". */
const PYTHON_BIN = /(?:^|\/)python(\d+\.\d+)$/;
/** What stays loose in the standard library's folder. */
const NOT_ARCHIVED = new Set(["site-packages", "dist-packages", "lib-dynload", "__pycache__", "os.py"]);

/**
 * What to compile: the kept `.py` regular files under `lib/python<version>/`
 * of the interpreter the run executed. Undefined when no CPython ran (or it
 * has no version in its name) or nothing qualifies.
 */
export function planBytecode(
  closure: Pick<Closure, "paths" | "why">,
  tree: FileTree,
  executed: Iterable<string>,
  opts: { env?: readonly string[]; archive?: boolean } = {},
): BytecodePlan | undefined {
  let python: string | undefined;
  let version: string | undefined;
  for (const p of executed) {
    // `python` and `python3` are links to `python3.11`: the file's own name has the version.
    const node = tree.resolve(p, true);
    if (typeof node !== "object" || node.entry?.type !== "file") continue;
    const real = `/${pathOf(node)}`;
    const m = PYTHON_BIN.exec(real);
    if (m) {
      python = real;
      version = m[1];
      break;
    }
  }
  if (!python || !version) return undefined;
  const libDir = `lib/python${version}/`;
  const sources: string[] = [];
  const dropped = new Set<string>();
  const kept = new Set(closure.paths);
  for (const p of closure.paths) {
    if (!p.endsWith(".py") || !(p.startsWith(libDir) || p.includes(`/${libDir}`))) continue;
    // Only plain files (a link's copy must stay what it is), and not what --include asked to keep as it is.
    if (tree.get(p)?.entry?.type !== "file" || closure.why.get(p)?.reason === "include") continue;
    sources.push(p);
    dropped.add(p);
    const dir = posix.dirname(p);
    const stem = posix.basename(p, ".py");
    const cache = `${dir}/__pycache__`;
    for (const name of tree.get(cache)?.children?.keys() ?? []) {
      // name.cpython-311.pyc, name.cpython-311.opt-1.pyc, ...: read only next to the source.
      const cached = `${cache}/${name}`;
      if (kept.has(cached) && name.startsWith(`${stem}.`) && CACHE_TAG.test(name.slice(stem.length + 1)))
        dropped.add(cached);
    }
  }
  if (sources.length === 0) return undefined;
  // A __pycache__ directory with nothing left in it goes too.
  const remaining = new Map<string, number>();
  for (const p of kept) {
    if (dropped.has(p)) continue;
    const parent = posix.dirname(p);
    if (posix.basename(parent) === "__pycache__") remaining.set(parent, (remaining.get(parent) ?? 0) + 1);
  }
  for (const p of kept)
    if (posix.basename(p) === "__pycache__" && !remaining.has(p) && tree.get(p)?.children) dropped.add(p);
  sources.sort();
  // PYTHONHOME moves the prefix, and with it the archive's place on sys.path: then nothing is archived.
  const homeSet = opts.env?.some((e) => e.startsWith("PYTHONHOME="));
  const archive =
    homeSet || opts.archive === false
      ? undefined
      : planArchive(python, version, sources, kept, dropped, tree);
  if (archive) for (const d of archive.dirs) dropped.add(d);
  return { python, sources, dropped, ...(archive ? { archive } : {}) };
}

/**
 * The standard-library modules that can go into `PREFIX/lib/python3N.zip`:
 * top-level modules, and top-level packages all of whose kept files are
 * compiled sources (their folders then hold nothing else the image keeps).
 */
function planArchive(
  python: string,
  version: string,
  sources: readonly string[],
  kept: ReadonlySet<string>,
  dropped: ReadonlySet<string>,
  tree: FileTree,
): StdlibArchive | undefined {
  // PREFIX/bin/python3.N -> PREFIX/lib/python3.N, as the interpreter finds it.
  const prefix = posix.dirname(posix.dirname(python)).slice(1);
  const lib = prefix ? `${prefix}/lib` : "lib";
  const stdlib = `${lib}/python${version}`;
  const path = `${lib}/python${version.replace(".", "")}.zip`;
  if (!tree.get(stdlib)?.children || tree.get(path)) return undefined;
  const compiled = new Set(sources);
  // Per top-level name under the standard library: may it go in, and what it holds.
  const tops = new Map<string, { ok: boolean; sources: string[]; dirs: string[] }>();
  for (const p of kept) {
    // Dropped caches and emptied __pycache__ folders do not count; the dropped sources do.
    if (!p.startsWith(`${stdlib}/`) || (dropped.has(p) && !compiled.has(p))) continue;
    const rest = p.slice(stdlib.length + 1);
    const name = rest.split("/", 1)[0] ?? rest;
    let top = tops.get(name);
    if (!top) {
      top = { ok: !NOT_ARCHIVED.has(name), sources: [], dirs: [] };
      tops.set(name, top);
    }
    const node = tree.get(p);
    if (compiled.has(p)) top.sources.push(p);
    // A folder (with or without an entry of its own in the layers).
    else if (node?.children && (!node.entry || node.entry.type === "dir")) top.dirs.push(p);
    else top.ok = false;
  }
  const out: StdlibArchive = { path, stdlib, sources: [], dirs: [] };
  for (const top of tops.values()) {
    if (!top.ok || top.sources.length === 0) continue;
    out.sources.push(...top.sources);
    out.dirs.push(...top.dirs);
  }
  if (out.sources.length === 0) return undefined;
  out.sources.sort();
  out.dirs.sort();
  return out;
}

/** The closure without what the plan drops (paths, reasons, file count and bytes recomputed from the tree). */
export function withoutDropped<C extends Pick<Closure, "paths" | "why" | "files" | "bytes">>(
  closure: C,
  tree: FileTree,
  dropped: ReadonlySet<string>,
): C {
  const why = new Map([...closure.why].filter(([p]) => !dropped.has(p)));
  let files = closure.files;
  let bytes = closure.bytes;
  for (const p of dropped) {
    const e = tree.get(p)?.entry;
    if (e?.type === "file" && closure.why.has(p)) {
      files--;
      bytes += -e.size;
    }
  }
  return { ...closure, paths: closure.paths.filter((p) => !dropped.has(p)), why, files, bytes };
}

/** The build context's file names and the stage's mount points. */
export const BYTECODE_FILES = { list: "bytecode.txt", script: "bytecode.py" } as const;
/** Where the bytecode stage leaves its archive. */
export const BYTECODE_TAR = "/slimstage-bytecode.tar";

/**
 * Run by the image's interpreter in the bytecode stage: compiles each listed
 * source and writes the `.pyc` into a tar with the source's owner, mode and
 * time (the rebuild is byte-identical: unchecked-hash bytecode has no build
 * time in it, and the stage fixes PYTHONHASHSEED). Lines marked `a` go into
 * the standard-library archive instead (argv 3, the archive, and argv 4, the
 * standard library's folder), with fixed times and order, unless the archive
 * is not on this interpreter's `sys.path`: then they stay loose. A source
 * that does not compile is carried as it is, so nothing the image had goes
 * missing. Python, not shell: a source image need not have a shell.
 */
export const BYTECODE_SCRIPT = `# Written by slimstage minify (see the Dockerfile's bytecode stage).
import os, py_compile, sys, tarfile, tempfile, time, zipfile

listing, out = sys.argv[1], sys.argv[2]
archive, stdlib = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else (None, None)
with open(listing, encoding="utf-8") as f:
    lines = [line[:-1] for line in f if line.endswith("\\n")]
if archive is not None and "/" + archive not in sys.path:
    print("slimstage: /" + archive + " is not on this interpreter's sys.path: its modules stay loose", file=sys.stderr)
    archive = None
work = tempfile.mkdtemp()
cfile = os.path.join(work, "module.pyc")
added = set()
members = []


def add_dirs(tar, rel):
    # Each folder on the way as an entry of its own, with the source image's time and mode:
    # a folder the extraction had to invent would carry the build's clock into the layer.
    parts = rel.split("/")[:-1]
    for i in range(1, len(parts) + 1):
        d = "/".join(parts[:i])
        if d in added:
            continue
        added.add(d)
        dst = os.stat("/" + d)
        dinfo = tarfile.TarInfo(d)
        dinfo.type, dinfo.mtime, dinfo.mode = tarfile.DIRTYPE, int(dst.st_mtime), dst.st_mode & 0o7777
        dinfo.uid, dinfo.gid, dinfo.uname, dinfo.gname = dst.st_uid, dst.st_gid, "", ""
        tar.addfile(dinfo)


def add_file(tar, path, name, mtime, uid, gid, mode):
    add_dirs(tar, name)
    info = tar.gettarinfo(path, arcname=name)
    info.mtime, info.uid, info.gid = int(mtime), uid, gid
    info.mode, info.uname, info.gname = mode, "", ""
    with open(path, "rb") as fh:
        tar.addfile(info, fh)


def zip_time(t):
    # Zip holds no time before 1980: the source's own time, clamped, so a rebuild writes the same bytes.
    return time.gmtime(max(int(t), 315532800))[:6]


def write_archive(path):
    stdlib_time = os.stat("/" + stdlib).st_mtime
    folders = set()
    for name, _, _ in members:
        parts = name.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            folders.add("/".join(parts[:i]) + "/")
    entries = sorted([(d, stdlib_time, None) for d in folders] + members, key=lambda m: m[0])
    with zipfile.ZipFile(path, "w") as z:
        for name, mtime, data in entries:
            info = zipfile.ZipInfo(name, date_time=zip_time(mtime))
            info.create_system = 3
            if data is None:
                info.external_attr = (0o40755 << 16) | 0x10
                z.writestr(info, b"")
            else:
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, data, compresslevel=9)


with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as tar:
    for line in lines:
        flag, rel = line[0], line[2:]
        src = "/" + rel
        st = os.stat(src)
        try:
            py_compile.compile(src, cfile=cfile, dfile=src, doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        except (py_compile.PyCompileError, SyntaxError, ValueError) as e:
            print("slimstage: kept as source (it does not compile): " + src, file=sys.stderr)
            add_file(tar, src, rel, st.st_mtime, st.st_uid, st.st_gid, st.st_mode & 0o7777)
            continue
        if flag == "a" and archive is not None:
            with open(cfile, "rb") as fh:
                members.append((rel[len(stdlib) + 1:-3] + ".pyc", st.st_mtime, fh.read()))
            continue
        add_file(tar, cfile, rel[:-3] + ".pyc", st.st_mtime, st.st_uid, st.st_gid, st.st_mode & 0o7777)
    if members:
        zpath = os.path.join(work, "archive.zip")
        write_archive(zpath)
        add_file(tar, zpath, archive, os.stat("/" + stdlib).st_mtime, 0, 0, 0o644)
`;

/** The bytecode stage's listing: `a PATH` for a module that goes into the archive, `l PATH` for a loose one. */
export function bytecodeListing(plan: BytecodePlan): string {
  const archived = new Set(plan.archive?.sources);
  // A name with a newline is not in the closure either (closureList): it cannot be listed.
  const lines = plan.sources
    .filter((p) => !p.includes("\n"))
    .map((p) => `${archived.has(p) ? "a" : "l"} ${p}`);
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/** A file the bytecode stage put in the minified image. */
export interface CompiledFile {
  /** The `.pyc`, the standard-library archive, or (when the source did not compile) the source carried as it was. */
  path: string;
  /** The sources it stands for: one for a `.pyc`, every archived one for the archive, none for a folder. */
  sources: string[];
  bytes: number;
  /** The source did not compile and is in the image as it was. */
  asSource?: true;
  /** The standard-library archive. */
  archive?: true;
}

/**
 * What the bytecode stage put in the minified image, read from its final
 * file tree: each source's loose `.pyc` (or the source itself), the archive
 * with the sources not found loose, and the folders of archived packages
 * when the stage had to write their modules loose after all (they were left
 * out of the closure, so the stage's own entries are what the image holds).
 */
export function compiledFiles(
  minified: FileTree,
  plan: Pick<BytecodePlan, "sources" | "archive">,
): CompiledFile[] {
  const out: CompiledFile[] = [];
  const archived: string[] = [];
  const inArchive = new Set(plan.archive?.sources);
  for (const source of plan.sources) {
    const pyc = minified.get(`${source.slice(0, -3)}.pyc`)?.entry;
    if (pyc?.type === "file") {
      out.push({ path: `${source.slice(0, -3)}.pyc`, sources: [source], bytes: pyc.size });
      continue;
    }
    const src = minified.get(source)?.entry;
    if (src?.type === "file") out.push({ path: source, sources: [source], bytes: src.size, asSource: true });
    else if (inArchive.has(source)) archived.push(source);
  }
  const archive = plan.archive && minified.get(plan.archive.path)?.entry;
  if (plan.archive && archive?.type === "file" && archived.length)
    out.push({ path: plan.archive.path, sources: archived, bytes: archive.size, archive: true });
  for (const dir of plan.archive?.dirs ?? [])
    if (minified.get(dir)?.entry?.type === "dir") out.push({ path: dir, sources: [], bytes: 0 });
  return out;
}
