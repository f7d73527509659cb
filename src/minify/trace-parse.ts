/**
 * Reads the output of `strace -f -y -qq -e trace=%file,%process` into the
 * paths a run looked up successfully. Written by hand: no maintained library
 * parses strace's text output, and only a small part of it matters here (a
 * syscall's name, its path arguments, its result and the paths `-y` prints
 * for file descriptors).
 */
export interface TraceSummary {
  /** Absolute paths (as the process named them, symlinks not resolved) that a syscall found. */
  accessed: Set<string>;
  /** Paths that execve ran successfully (their ELF interpreter or `#!` line is loaded by the kernel, untraced). */
  executed: Set<string>;
  /** Syscall lines read, and how many of them failed (ENOENT and the like). */
  syscalls: number;
  failed: number;
  /** Lines that looked like syscalls but could not be read (reported, never fatal). */
  unreadable: number;
}

/** Where each syscall takes its paths: [dirfd index or -1, path index]. */
const PATH_ARGS: Record<string, ReadonlyArray<readonly [number, number]>> = {};
for (const s of [
  "open",
  "creat",
  "stat",
  "lstat",
  "stat64",
  "lstat64",
  "access",
  "readlink",
  "execve",
  "chdir",
  "chroot",
  "truncate",
  "statfs",
  "statfs64",
  "chmod",
  "chown",
  "lchown",
  "utime",
  "utimes",
  "getxattr",
  "lgetxattr",
  "listxattr",
  "llistxattr",
  "mkdir",
  "rmdir",
  "unlink",
  "mknod",
  "uselib",
]) {
  PATH_ARGS[s] = [[-1, 0]];
}
for (const s of [
  "openat",
  "openat2",
  "newfstatat",
  "fstatat64",
  "statx",
  "faccessat",
  "faccessat2",
  "readlinkat",
  "execveat",
  "mkdirat",
  "unlinkat",
  "fchmodat",
  "fchmodat2",
  "fchownat",
  "utimensat",
  "futimesat",
  "mknodat",
  "name_to_handle_at",
]) {
  PATH_ARGS[s] = [[0, 1]];
}
PATH_ARGS.rename = [
  [-1, 0],
  [-1, 1],
];
PATH_ARGS.link = PATH_ARGS.rename;
PATH_ARGS.symlink = [[-1, 1]];
PATH_ARGS.renameat = [
  [0, 1],
  [2, 3],
];
PATH_ARGS.renameat2 = PATH_ARGS.renameat;
PATH_ARGS.linkat = PATH_ARGS.renameat;
PATH_ARGS.symlinkat = [[1, 2]];
PATH_ARGS.inotify_add_watch = [[-1, 1]];

const CLONES = new Set(["clone", "clone3", "fork", "vfork"]);
const LINE = /^(\d+)\s+(.*)$/;
const RESUMED = /^<\.\.\. ([a-z0-9_]+) resumed>(.*)$/;
const UNFINISHED = " <unfinished ...>";

/**
 * Parses a whole trace. `workdir` is the first process's working directory
 * (the image's WORKDIR): non-*at syscalls with relative paths are resolved
 * against each process's directory, followed through chdir and fork.
 */
export function parseTrace(text: string, workdir: string): TraceSummary {
  const out: TraceSummary = {
    accessed: new Set(),
    executed: new Set(),
    syscalls: 0,
    failed: 0,
    unreadable: 0,
  };
  const cwd = new Map<number, string>();
  const pending = new Map<number, string>();
  for (const raw of text.split("\n")) {
    const m = LINE.exec(raw);
    if (!m) continue;
    const pid = Number(m[1]);
    if (!cwd.has(pid)) cwd.set(pid, workdir || "/");
    let body = m[2] as string;
    if (body.startsWith("+++") || body.startsWith("---")) continue;
    if (body.endsWith(UNFINISHED)) {
      pending.set(pid, body.slice(0, -UNFINISHED.length));
      continue;
    }
    const r = RESUMED.exec(body);
    if (r) {
      const start = pending.get(pid);
      pending.delete(pid);
      if (start === undefined) {
        out.unreadable++;
        continue;
      }
      body = start + (r[2] as string);
    }
    const call = splitCall(body);
    if (!call) {
      out.unreadable++;
      continue;
    }
    out.syscalls++;
    const ok = /^\d/.test(call.result);
    if (!ok) {
      out.failed++;
      continue;
    }
    const here = cwd.get(pid) ?? "/";
    if (CLONES.has(call.name)) {
      const child = Number.parseInt(call.result, 10);
      if (Number.isFinite(child)) cwd.set(child, here);
      continue;
    }
    // A decorated result is the file the call opened, with symlinks resolved by the kernel.
    const resultPath = decoration(call.result);
    if (resultPath?.startsWith("/")) out.accessed.add(resultPath);
    const positions = PATH_ARGS[call.name];
    if (!positions) continue;
    for (const [dirIdx, pathIdx] of positions) {
      const arg = call.args[pathIdx];
      if (arg === undefined) continue;
      const path = unquote(arg);
      if (path === undefined) continue;
      let base = here;
      if (dirIdx >= 0) {
        const d = call.args[dirIdx];
        const dec = d === undefined ? undefined : decoration(d);
        if (dec?.startsWith("/")) base = dec;
        if (d?.startsWith("AT_FDCWD") && dec?.startsWith("/")) cwd.set(pid, dec);
      }
      const abs = path.startsWith("/") ? path : path === "" ? base : joinPath(base, path);
      out.accessed.add(abs);
      if (call.name === "execve" || call.name === "execveat") out.executed.add(abs);
      if (call.name === "chdir") cwd.set(pid, abs);
    }
    if (call.name === "fchdir") {
      const dec = call.args[0] === undefined ? undefined : decoration(call.args[0]);
      if (dec?.startsWith("/")) cwd.set(pid, dec);
    }
  }
  return out;
}

function joinPath(base: string, rel: string): string {
  return base.endsWith("/") ? base + rel : `${base}/${rel}`;
}

interface Call {
  name: string;
  args: string[];
  result: string;
}

/** `name(a, b, ...) = result`, split at top-level commas (quotes, brackets, braces and `<...>` nest). */
function splitCall(body: string): Call | undefined {
  const open = body.indexOf("(");
  if (open <= 0) return undefined;
  const name = body.slice(0, open);
  if (!/^[a-z0-9_]+$/.test(name)) return undefined;
  const args: string[] = [];
  let depth = 0;
  let inStr = false;
  let start = open + 1;
  for (let i = open + 1; i < body.length; i++) {
    const c = body[i];
    if (inStr) {
      if (c === "\\") i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === "(" || c === "[" || c === "{" || c === "<") depth++;
    else if (c === "]" || c === "}" || c === ">") depth--;
    else if (c === ")") {
      if (depth === 0) {
        const last = body.slice(start, i).trim();
        if (last !== "" || args.length > 0) args.push(last);
        const rest = body.slice(i + 1);
        const eq = rest.indexOf("= ");
        if (eq < 0) return undefined;
        return { name, args, result: rest.slice(eq + 2).trim() };
      }
      depth--;
    } else if (c === "," && depth === 0) {
      args.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  return undefined;
}

/** The path in `3</usr/lib/x.so>` or `AT_FDCWD</app>`, unescaped. */
function decoration(token: string): string | undefined {
  const lt = token.indexOf("<");
  const gt = token.lastIndexOf(">");
  if (lt < 0 || gt <= lt) return undefined;
  const inner = token.slice(lt + 1, gt);
  if (!inner.startsWith("/")) return undefined; // socket:[...], pipe:[...], anon_inode:...
  return unescapeC(inner);
}

/** A strace string argument `"..."` (unescaped); undefined for NULL, pointers or truncated strings. */
export function unquote(token: string): string | undefined {
  if (!token.startsWith('"')) return undefined;
  if (token.endsWith('"...')) return undefined;
  if (!token.endsWith('"') || token.length < 2) return undefined;
  return unescapeC(token.slice(1, -1));
}

const SIMPLE: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8, '"': 34, "\\": 92 };

/** C escapes as strace prints them (\n, \", \\, \xHH, octal); bytes are UTF-8. */
function unescapeC(s: string): string {
  if (!s.includes("\\")) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== "\\") {
      for (const b of Buffer.from(c, "utf8")) bytes.push(b);
      continue;
    }
    const n = s[i + 1];
    if (n === undefined) {
      bytes.push(92);
    } else if (n in SIMPLE) {
      bytes.push(SIMPLE[n] as number);
      i++;
    } else if (n === "x") {
      bytes.push(Number.parseInt(s.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (/[0-7]/.test(n)) {
      const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1))?.[0] ?? "0";
      bytes.push(Number.parseInt(oct, 8) & 0xff);
      i += oct.length;
    } else {
      bytes.push(92);
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/**
 * The trace with every program's arguments taken out (they may hold tokens):
 * `execve("/path", ["prog", "arg", ...], ...)` keeps the path and argv[0],
 * the rest becomes a count. The paths, which a reviewer needs, stay.
 */
export function redactTrace(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const at = line.search(/\bexecve(at)?\(/);
      if (at < 0) return line;
      const open = line.indexOf("[", at);
      if (open < 0) return line;
      // Scan the argv array: strings with C escapes, `...` after a truncated one, up to its `]`.
      const items: string[] = [];
      let i = open + 1;
      let start = i;
      let inStr = false;
      for (; i < line.length; i++) {
        const c = line[i];
        if (inStr) {
          if (c === "\\") i++;
          else if (c === '"') inStr = false;
        } else if (c === '"') inStr = true;
        else if (c === "," || c === "]") {
          if (line.slice(start, i).trim() !== "") items.push(line.slice(start, i).trim());
          start = i + 1;
          if (c === "]") break;
        }
      }
      if (i >= line.length || items.length <= 1) return line;
      return `${line.slice(0, open + 1)}${items[0]}, /* ${items.length - 1} arguments redacted */${line.slice(i)}`;
    })
    .join("\n");
}
