import { describe, expect, it } from "vitest";
import { parseTrace, unquote } from "./trace-parse.js";

// Lines as strace 6.1 prints them with -f -y -qq -e trace=%file,%process (taken from real traces).
const TRACE = [
  '11    execve("/usr/local/bin/python", ["python", "app.py"], 0x7ffd48dc41f0 /* 8 vars */) = 0',
  '11    access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory)',
  '11    openat(AT_FDCWD</app>, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3</etc/ld.so.cache>',
  '11    newfstatat(3</etc/ld.so.cache>, "", {st_mode=S_IFREG|0644, st_size=4523, ...}, AT_EMPTY_PATH) = 0',
  '11    openat(AT_FDCWD</app>, "/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 3</usr/lib/x86_64-linux-gnu/libc.so.6>',
  '11    readlink("/usr/local/bin/python", "python3", 4096) = 7',
  '11    newfstatat(AT_FDCWD</app>, "templates/index.html", {st_mode=S_IFREG|0644, st_size=300, ...}, 0) = 0',
  '11    openat(7</usr/local/lib/python3.11/site-packages>, "flask", O_RDONLY|O_DIRECTORY) = 8</usr/local/lib/python3.11/site-packages/flask>',
  '11    stat("relative.txt", {st_mode=S_IFREG|0644, st_size=1, ...}) = 0',
  "11    clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 12",
  '11    chdir("/srv") = 0',
  '11    stat("after-chdir.txt", 0x7ffc) = 0',
  '12    stat("child.txt", {st_mode=S_IFREG|0644, st_size=1, ...}) = 0',
  '12    execve("/bin/sh", ["sh", "-c", "echo, (hi)"], 0x55a15e27dad0 /* 35 vars */ <unfinished ...>',
  "11    wait4(-1,  <unfinished ...>",
  "12    <... execve resumed>)             = 0",
  '12    openat(AT_FDCWD</srv>, "caf\\303\\251 \\"q\\".txt", O_RDONLY) = 3</srv/caf\\303\\251 "q".txt>',
  '12    openat(AT_FDCWD</srv>, "/proc/sys/vm/overcommit_memory", O_RDONLY|O_CLOEXEC) = 21</proc/sys/vm/overcommit_memory>',
  '12    newfstatat(5<socket:[123]>, "", {st_mode=S_IFSOCK|0777, ...}, AT_EMPTY_PATH) = 0',
  '12    rename("/tmp/a", "/tmp/b") = 0',
  "12    +++ exited with 0 +++",
  "--- SIGCHLD {si_signo=SIGCHLD} ---",
  "11    <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 12",
  "11    this is not a syscall line",
  "",
].join("\n");

describe("parseTrace", () => {
  const t = parseTrace(TRACE, "/app");

  it("keeps the paths that successful calls named, absolute, and the files behind returned descriptors", () => {
    expect(t.accessed).toContain("/usr/local/bin/python");
    expect(t.accessed).toContain("/etc/ld.so.cache");
    expect(t.accessed).toContain("/lib/x86_64-linux-gnu/libc.so.6");
    expect(t.accessed).toContain("/usr/lib/x86_64-linux-gnu/libc.so.6"); // -y's resolved path
    expect(t.accessed).toContain("/app/templates/index.html"); // relative to AT_FDCWD</app>
    expect(t.accessed).toContain("/usr/local/lib/python3.11/site-packages/flask"); // relative to fd 7
    expect(t.accessed).not.toContain("/etc/ld.so.preload"); // ENOENT
    expect(t.accessed).not.toContain("python3"); // readlink's buffer, not a path
  });

  it("resolves relative paths of plain calls against each process's directory (chdir, fork)", () => {
    expect(t.accessed).toContain("/app/relative.txt");
    expect(t.accessed).toContain("/srv/after-chdir.txt");
    // The child was forked before the chdir: it still works in /app.
    expect(t.accessed).toContain("/app/child.txt");
  });

  it("joins unfinished and resumed calls, and records what was executed", () => {
    expect([...t.executed].sort()).toEqual(["/bin/sh", "/usr/local/bin/python"]);
  });

  it("unescapes strace's C strings (UTF-8 octal bytes, quotes) in arguments and descriptors", () => {
    expect(t.accessed).toContain('/srv/café "q".txt');
  });

  it("keeps /proc lookups (the closure skips them), ignores sockets, keeps both paths of a rename", () => {
    expect(t.accessed).toContain("/proc/sys/vm/overcommit_memory");
    expect([...t.accessed].some((p) => p.includes("socket"))).toBe(false);
    expect(t.accessed).toContain("/tmp/a");
    expect(t.accessed).toContain("/tmp/b");
  });

  it("counts calls, failures and lines it could not read", () => {
    expect(t.failed).toBe(1);
    expect(t.syscalls).toBe(19);
    expect(t.unreadable).toBe(1);
  });
});

describe("unquote", () => {
  it("reads strings, refuses pointers and truncated strings", () => {
    expect(unquote('"/a\\nb"')).toBe("/a\nb");
    expect(unquote('"\\x41\\\\"')).toBe("A\\");
    expect(unquote("0x7ffc")).toBeUndefined();
    expect(unquote('"/very/long"...')).toBeUndefined();
  });
});
