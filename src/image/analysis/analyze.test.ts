import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Image } from "../model.js";
import { openImage } from "../open.js";
import {
  FOO_LIST,
  GCC_LIST,
  HANDWORKED,
  L0,
  L1,
  L2,
  L3,
  LIBC_LIST,
  len,
  PJ_INNER,
  PJ_LEFTPAD,
  RECORD,
  STATUS,
} from "../test-helpers/fixtures.js";
import { writeDockerArchive } from "../test-helpers/image-writer.js";
import { analyzeImage } from "./analyze.js";
import type { Analysis } from "./types.js";

let dir: string;
let image: Image;
let a: Analysis;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-analyze-"));
  await writeDockerArchive(join(dir, "img.tar"), HANDWORKED);
  image = await openImage(`docker-archive://${join(dir, "img.tar")}`);
  a = analyzeImage(image, { minFindingBytes: 100 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("analyzeImage on the hand-worked fixture", () => {
  it("sizes each layer by its regular files and aligns history", () => {
    expect(a.layers.map((l) => l.size)).toEqual([L0, L1, L2, 0, 0, L3, 0]);
    expect(a.layers.map((l) => l.empty)).toEqual([false, false, false, true, true, false, true]);
    expect(a.layers.map((l) => l.layerIndex)).toEqual([0, 1, 2, null, null, 3, null]);
    expect(a.totalBytes).toBe(L0 + L1 + L2 + L3);
  });

  it("counts waste: the overwritten libfoo (3000), the opaque'd tmp/cache (400+100), the deleted big.bin (20000)", () => {
    expect(a.layers[0]!.wastedBytes).toBe(3000 + 400 + 100);
    expect(a.layers[1]!.wastedBytes).toBe(20000);
    expect(a.wastedBytes).toBe(23500);
    expect(a.finalBytes).toBe(a.totalBytes - 23500);
    expect(a.efficiency).toBeCloseTo((a.totalBytes - 23500) / a.totalBytes, 10);
    expect(a.wastedFiles[0]).toEqual({
      path: "/big.bin",
      bytes: 20000,
      addedIn: 1,
      removedIn: 2,
      how: "deleted",
    });
    expect(a.wastedFiles).toContainEqual({
      path: "/usr/lib/libfoo.so.1",
      bytes: 3000,
      addedIn: 0,
      removedIn: 1,
      how: "overwritten",
    });
  });

  it("computes dive's score and wasted bytes the way dive does", () => {
    // dive: libfoo seen twice (3000 + 2500, min 2500), big.bin twice (20000 + a file whiteout counted 0),
    // opaque dirs not counted. wasted = all copies of multi-layer paths = 5500 + 20000.
    expect(a.dive.wastedBytes).toBe(25500);
    // minimum sum = every byte once, minus the larger libfoo copy and big.bin.
    expect(a.dive.efficiency).toBeCloseTo((a.totalBytes - 3000 - 20000) / a.totalBytes, 10);
  });

  it("reports added / changed / removed per layer", () => {
    const l = (i: number) => a.layers[i]!;
    // 16 non-directory entries: 14 regular files (4 of them the dpkg database), the lib symlink, the cc hardlink.
    expect(l(0).added).toEqual({ files: 16, bytes: L0 });
    expect(l(1).added).toEqual({ files: 8, bytes: L1 - 2500 });
    expect(l(1).changed).toEqual({ files: 1, bytes: 2500 });
    expect(l(2).removed).toEqual({ files: 3, bytes: 20500 });
    expect(l(2).added).toEqual({ files: 1, bytes: 50 });
    expect(l(5).added).toEqual({ files: 6, bytes: L3 });
  });

  it("attributes bytes to OS packages through the /lib symlink, Python RECORDs, nested npm packages, caches, the app", () => {
    const owner = (kind: string, name: string) => a.byOwner.find((o) => o.kind === kind && o.name === name);
    // foo: /lib (the symlink, 0 B), libfoo.so.1 (now 2500), copyright 300, man page 200.
    expect(owner("os-package", "foo")).toMatchObject({ version: "1.0", files: 4, bytes: 3000 });
    expect(owner("os-package", "gcc-12")).toMatchObject({ version: "12.2.0-14", files: 2, bytes: 10000 });
    expect(owner("os-package", "libc6-dev")).toMatchObject({ files: 2, bytes: 1200 });
    expect(owner("os-package", "(dpkg database)")).toMatchObject({
      files: 4,
      bytes: len(STATUS) + len(FOO_LIST) + len(GCC_LIST) + len(LIBC_LIST),
    });
    expect(owner("python", "flask")).toMatchObject({
      version: "3.0.0",
      files: 5,
      bytes: 800 + 90 + 150 + len(RECORD) + 60,
    });
    expect(owner("npm", "left-pad")).toMatchObject({
      version: "1.3.0",
      files: 3,
      bytes: len(PJ_LEFTPAD) + 90 + 25,
    });
    expect(owner("npm", "@scope/inner")).toMatchObject({
      version: "2.0.0",
      files: 2,
      bytes: len(PJ_INNER) + 40,
    });
    expect(owner("cache", "pip cache")).toMatchObject({ files: 1, bytes: 700 });
    expect(owner("cache", "__pycache__")).toMatchObject({ files: 1, bytes: 120 });
    expect(owner("app", "app")).toMatchObject({ files: 1, bytes: 300 });
    // os-release (10), the cc hardlink (0), tmp/cache/c (50).
    expect(owner("unknown", "")).toMatchObject({ files: 3, bytes: 60 });
    const sum = Object.values(a.byOwnerKind).reduce((x, y) => x + y, 0);
    expect(sum).toBe(a.finalBytes);
  });

  it("lists installed packages with versions (not the deinstalled one)", () => {
    expect(a.packages.map((p) => `${p.ecosystem}:${p.name}@${p.version}`)).toEqual([
      "deb:foo@1.0",
      "deb:gcc-12@12.2.0-14",
      "deb:libc6-dev@2.36-9",
      "npm:@scope/inner@2.0.0",
      "npm:left-pad@1.3.0",
      "python:flask@3.0.0",
    ]);
    expect(a.packages.find((p) => p.name === "gcc-12")?.bytes).toBe(10000);
  });

  it("finds build-only content by category", () => {
    const cat = Object.fromEntries(a.byCategory.map((c) => [c.category, c.bytes]));
    expect(cat).toEqual({
      toolchain: 10000, // gcc-12 4000 + cc1 6000 (+ the cc hardlink, 0 B)
      headers: 500,
      "static-libs": 700,
      "pm-cache": 700,
      tests: 150,
      docs: 300 + 200 + 25,
    });
    expect(a.buildOnlyBytes).toBe(12575);
    expect(a.byCategory.find((c) => c.category === "toolchain")?.files).toBe(3);
  });

  it("writes findings like 'gcc and its headers: N, build-only'", () => {
    const messages = a.findings.map((f) => f.message);
    expect(messages[0]).toMatch(
      /^23\.5 kB stored in layers but deleted or overwritten later \(largest: \/big\.bin/,
    );
    expect(messages).toContain("gcc-12 and their headers: 10.5 kB, build-only");
    expect(a.findings.find((f) => f.id === "build-only-toolchain")?.bytes).toBe(10500);
    expect(a.findings.map((f) => f.id)).toContain("build-only-static-libs");
    expect(a.findings.map((f) => f.id)).toContain("build-only-docs");
  });

  it("lists the biggest files and directories of the final tree", () => {
    expect(a.biggestFiles.slice(0, 3).map((f) => [f.path, f.bytes])).toEqual([
      ["/usr/lib/gcc/x86_64-linux-gnu/12/cc1", 6000],
      ["/usr/bin/gcc-12", 4000],
      ["/usr/lib/libfoo.so.1", 2500],
    ]);
    expect(a.biggestDirs[0]).toMatchObject({ path: "/usr" });
    // 16 + 8 new in layer 1 + c + 6 in the COPY layer, less big.bin, a and b.
    expect(a.fileCount).toBe(16 + 8 + 1 + 6 - 3);
  });

  it("reads the config", () => {
    expect(a.config.workdir).toBe("/app");
    expect(a.config.cmd).toEqual(["python", "app.py"]);
    expect(a.config.exposedPorts).toEqual(["8000/tcp"]);
    expect(a.repoTags).toEqual(["fixture/handworked:1"]);
  });

  it("is a pure function: same image, same analysis", () => {
    expect(analyzeImage(image, { minFindingBytes: 100 })).toEqual(a);
  });
});
