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
 */
export interface BytecodePlan {
  /** The interpreter that compiles (absolute path in the image). */
  python: string;
  /** Kept sources (relative) compiled to `<stem>.pyc` next to where they were. */
  sources: string[];
  /** Relative paths left out of the copied closure: those sources, their cached bytecode, emptied `__pycache__` directories. */
  dropped: Set<string>;
}

/** What follows `name.` in a cached bytecode file: `cpython-311.pyc`, `cpython-311.opt-1.pyc`. */
const CACHE_TAG = /^[a-z]+-\d+(\.opt-\d+)?\.pyc$/;
/** `/usr/local/bin/python3.11` -> "3.11". */
const PYTHON_BIN = /(?:^|\/)python(\d+\.\d+)$/;

/**
 * What to compile: the kept `.py` regular files under `lib/python<version>/`
 * of the interpreter the run executed. Undefined when no CPython ran (or it
 * has no version in its name) or nothing qualifies.
 */
export function planBytecode(
  closure: Pick<Closure, "paths" | "why">,
  tree: FileTree,
  executed: Iterable<string>,
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
  return { python, sources: sources.sort(), dropped };
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
 * time in it, and the stage fixes PYTHONHASHSEED). A source that does not
 * compile is carried as it is, so nothing the image had goes missing.
 * Python, not shell: a source image need not have a shell.
 */
export const BYTECODE_SCRIPT = `# Written by slimstage minify (see the Dockerfile's bytecode stage).
import os, py_compile, sys, tarfile, tempfile

listing, out = sys.argv[1], sys.argv[2]
with open(listing, encoding="utf-8") as f:
    sources = [line[:-1] for line in f if line.endswith("\\n")]
work = tempfile.mkdtemp()
cfile = os.path.join(work, "module.pyc")
added = set()
with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as tar:
    for rel in sources:
        src = "/" + rel
        st = os.stat(src)
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
        try:
            py_compile.compile(src, cfile=cfile, dfile=src, doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
            path, name = cfile, rel[:-3] + ".pyc"
        except (py_compile.PyCompileError, SyntaxError, ValueError) as e:
            print("slimstage: kept as source (it does not compile): " + src, file=sys.stderr)
            path, name = src, rel
        info = tar.gettarinfo(path, arcname=name)
        info.mtime, info.uid, info.gid = int(st.st_mtime), st.st_uid, st.st_gid
        info.mode, info.uname, info.gname = st.st_mode & 0o7777, "", ""
        with open(path, "rb") as fh:
            tar.addfile(info, fh)
`;

/** One compiled source as the minified image holds it. */
export interface CompiledFile {
  /** The `.pyc` (or, when the source did not compile, the source carried as it was). */
  path: string;
  source: string;
  bytes: number;
  /** The source did not compile and is in the image as it was. */
  asSource?: true;
}

/** What the bytecode stage put in the minified image, read from its final file tree. */
export function compiledFiles(minified: FileTree, sources: readonly string[]): CompiledFile[] {
  const out: CompiledFile[] = [];
  for (const source of sources) {
    const pyc = minified.get(`${source.slice(0, -3)}.pyc`)?.entry;
    if (pyc?.type === "file") {
      out.push({ path: `${source.slice(0, -3)}.pyc`, source, bytes: pyc.size });
      continue;
    }
    const src = minified.get(source)?.entry;
    if (src?.type === "file") out.push({ path: source, source, bytes: src.size, asSource: true });
  }
  return out;
}
