import { describe, expect, it } from "vitest";
import { FileTree } from "../image/filetree.js";
import type { FileEntry } from "../image/model.js";
import { memoryLayer } from "../image/test-helpers/memory-layer.js";
import { computeClosure } from "./closure.js";

type Spec = [path: string, type: FileEntry["type"], sizeOrTarget?: number | string];

function layer(index: number, specs: Spec[]) {
  const entries: FileEntry[] = specs.map(([path, type, x]) => ({
    path,
    type,
    mode: type === "dir" ? 0o755 : 0o644,
    uid: 0,
    gid: 0,
    size: type === "file" && typeof x === "number" ? x : 0,
    ...(typeof x === "string" ? { linkTarget: x } : {}),
  }));
  return memoryLayer(index, entries);
}

/** A merged-/usr Debian layout with a Python under /usr/local, as the local python base has. */
function debianLike(): FileTree {
  const t = new FileTree();
  t.applyLayer(
    layer(0, [
      ["bin", "symlink", "usr/bin"],
      ["lib", "symlink", "usr/lib"],
      ["lib64", "symlink", "usr/lib64"],
      ["usr", "dir"],
      ["usr/bin", "dir"],
      ["usr/bin/sh", "symlink", "dash"],
      ["usr/bin/dash", "file", 125_000],
      ["usr/lib", "dir"],
      ["usr/lib/x86_64-linux-gnu", "dir"],
      ["usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "file", 210_000],
      ["usr/lib/x86_64-linux-gnu/libc.so.6", "file", 1_900_000],
      ["usr/lib/x86_64-linux-gnu/libunused.so.1", "file", 5_000_000],
      ["usr/lib64", "dir"],
      ["usr/lib64/ld-linux-x86-64.so.2", "symlink", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"],
      ["etc", "dir"],
      ["etc/passwd", "file", 900],
      ["etc/group", "file", 400],
      ["etc/unused.conf", "file", 100],
      ["tmp", "dir"],
      ["proc", "dir"],
      ["loop-a", "symlink", "loop-b"],
      ["loop-b", "symlink", "loop-a"],
    ]),
  );
  t.applyLayer(
    layer(1, [
      ["usr/local", "dir"],
      ["usr/local/bin", "dir"],
      ["usr/local/bin/python", "symlink", "python3"],
      ["usr/local/bin/python3", "symlink", "python3.11"],
      ["usr/local/bin/python3.11", "file", 15_000],
      ["usr/local/lib", "dir"],
      ["usr/local/lib/python3.11", "dir"],
      ["usr/local/lib/python3.11/os.py", "file", 40_000],
      ["usr/local/lib/python3.11/json", "dir"],
      ["usr/local/lib/python3.11/json/__init__.py", "file", 14_000],
      ["usr/local/lib/python3.11/json/decoder.py", "file", 12_000],
      ["usr/local/lib/python3.11/unused.py", "file", 99_000],
      ["app", "dir"],
      ["app/app.py", "file", 200],
      ["app/templates", "dir"],
      ["app/templates/index.html", "file", 300],
      ["app/templates/link.html", "hardlink", "app/templates/index.html"],
      ["app/data", "symlink", "../usr/local/lib/python3.11/json"],
    ]),
  );
  return t;
}

describe("computeClosure", () => {
  it("keeps each used path with the symlinks met on the way, what they point to, and parents first", () => {
    const c = computeClosure({
      tree: debianLike(),
      used: ["/usr/local/bin/python", "/lib/x86_64-linux-gnu/libc.so.6", "/app/app.py"],
    });
    expect(c.paths).toEqual([
      "app",
      "app/app.py",
      "lib",
      "usr",
      "usr/lib",
      "usr/lib/x86_64-linux-gnu",
      "usr/lib/x86_64-linux-gnu/libc.so.6",
      "usr/local",
      "usr/local/bin",
      "usr/local/bin/python",
      "usr/local/bin/python3",
      "usr/local/bin/python3.11",
    ]);
    expect(c.files).toBe(3);
    expect(c.bytes).toBe(1_900_000 + 200 + 15_000);
    expect(c.notInImage).toBe(0);
  });

  it("follows an absolute symlink from the root and a relative one from its directory, with `..`", () => {
    const c = computeClosure({
      tree: debianLike(),
      used: ["/lib64/ld-linux-x86-64.so.2", "/app/data/decoder.py", "/app/../etc/passwd"],
    });
    expect(c.paths).toContain("usr/lib64/ld-linux-x86-64.so.2");
    expect(c.paths).toContain("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
    expect(c.paths).toContain("app/data");
    expect(c.paths).toContain("usr/local/lib/python3.11/json/decoder.py");
    expect(c.paths).toContain("etc/passwd");
    expect(c.paths).not.toContain("usr/local/lib/python3.11/json/__init__.py");
    expect(c.paths).not.toContain("usr/lib/x86_64-linux-gnu/libunused.so.1");
  });

  it("counts paths the image lacks, skips /proc, survives symlink loops", () => {
    const c = computeClosure({
      tree: debianLike(),
      used: ["/app/__pycache__/app.cpython-311.pyc", "/proc/self/maps", "/loop-a/x", "/nowhere"],
    });
    expect(c.notInImage).toBe(3); // the loop and two missing paths; /proc is not looked up
    expect(c.paths).not.toContain("proc");
    // What the lookups passed through still exists in the result (the directory /app was listed).
    expect(c.paths).toContain("app");
  });

  it("keeps a hardlink's target, and whole subtrees on request with their links resolved", () => {
    const link = computeClosure({ tree: debianLike(), used: ["/app/templates/link.html"] });
    expect(link.paths).toEqual([
      "app",
      "app/templates",
      "app/templates/index.html",
      "app/templates/link.html",
    ]);
    expect(link.bytes).toBe(300);

    const whole = computeClosure({ tree: debianLike(), used: [], whole: ["/app"] });
    expect(whole.paths).toContain("app/templates/index.html");
    expect(whole.paths).toContain("usr/local/lib/python3.11/json/__init__.py"); // through app/data
    expect(whole.bytes).toBe(200 + 300 + 14_000 + 12_000);
  });

  it("keeps `always` paths only when the image has them, as entries (a directory without its contents)", () => {
    const c = computeClosure({
      tree: debianLike(),
      used: [],
      always: ["/etc/passwd", "/tmp", "/lib/ld-musl-x86_64.so.1"],
    });
    expect(c.paths).toEqual(["etc", "etc/passwd", "lib", "tmp", "usr", "usr/lib"]);
    expect(c.notInImage).toBe(0);
  });
});
