import { describe, expect, it } from "vitest";
import { mergeLayers, subtreeBytes } from "./filetree.js";
import type { FileEntry } from "./model.js";
import { memoryLayer as layer } from "./test-helpers/memory-layer.js";

function file(path: string, size = 0): FileEntry {
  return { path, type: "file", mode: 0o644, uid: 0, gid: 0, size };
}
function dir(path: string): FileEntry {
  return { path, type: "dir", mode: 0o755, uid: 0, gid: 0, size: 0 };
}
function link(path: string, target: string): FileEntry {
  return { path, type: "symlink", mode: 0o777, uid: 0, gid: 0, size: 0, linkTarget: target };
}

describe("FileTree overlay semantics", () => {
  it("a whiteout deletes a lower file or a whole lower directory", () => {
    const removed: string[] = [];
    const tree = mergeLayers(
      [
        layer(0, [dir("d"), file("d/a", 10), file("d/sub/b", 20), file("keep", 5)]),
        layer(1, [], [{ path: "d", opaque: false }]),
      ],
      { removed: (n, p) => n.entry?.type === "file" && removed.push(p) },
    );
    expect(tree.get("d")).toBeUndefined();
    expect(removed.sort()).toEqual(["d/a", "d/sub/b"]);
    expect(subtreeBytes(tree.root)).toBe(5);
  });

  it("an opaque dir hides lower children but keeps the same layer's new ones", () => {
    const tree = mergeLayers([
      layer(0, [file("d/old", 10)]),
      layer(1, [dir("d"), file("d/new", 3)], [{ path: "d", opaque: true }]),
    ]);
    expect([...tree.get("d")!.children!.keys()]).toEqual(["new"]);
  });

  it("a file replacing a directory removes the directory's contents, and the other way round", () => {
    const tree = mergeLayers([
      layer(0, [file("x/y", 10), file("f", 4)]),
      layer(1, [file("x", 1), file("f/inner", 2)]),
    ]);
    expect(tree.get("x")!.entry?.type).toBe("file");
    expect(tree.get("f")!.children!.has("inner")).toBe(true);
    expect(subtreeBytes(tree.root)).toBe(3);
  });

  it("resolves relative and absolute symlinks, .. components, and gives up on loops", () => {
    const tree = mergeLayers([
      layer(0, [
        file("usr/lib/libz.so.1", 7),
        link("lib", "usr/lib"),
        link("usr/lib64", "../lib"),
        link("abs", "/usr/lib/libz.so.1"),
        link("l1", "l2"),
        link("l2", "l1"),
      ]),
    ]);
    expect(tree.resolve("lib/libz.so.1")).toBe(tree.get("usr/lib/libz.so.1"));
    expect(tree.resolve("usr/lib64/libz.so.1")).toBe(tree.get("usr/lib/libz.so.1"));
    expect(tree.resolve("abs")).toBe(tree.get("usr/lib/libz.so.1"));
    expect(tree.resolve("abs", false)).toBe(tree.get("abs"));
    expect(tree.resolve("l1/x")).toBe("loop");
    expect(tree.resolve("missing/x")).toBeUndefined();
  });
});
