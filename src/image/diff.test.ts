import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffImages, type ImageDiff } from "./diff.js";
import { renderDiffMarkdown } from "./format/diff-markdown.js";
import { renderDiffTty } from "./format/diff-tty.js";
import { openImage } from "./open.js";
import { HANDWORKED, L1, L2, L3, STATUS } from "./test-helpers/fixtures.js";
import { type FixtureImage, writeDockerArchive, writeOciLayout } from "./test-helpers/image-writer.js";

// B keeps A's base layer and replaces the rest with one apt step.
const STATUS_B = STATUS.replace("Version: 1.0", "Version: 1.1")
  .replace(/Package: gcc-12[\s\S]*?\n\n/, "")
  .concat("\nPackage: bar\nStatus: install ok installed\nVersion: 2.0\nArchitecture: amd64\n");
const B: FixtureImage = {
  repoTag: "fixture/b:1",
  config: { ...HANDWORKED.config, Cmd: ["bar"], Labels: { team: "x" } },
  layers: [
    HANDWORKED.layers[0]!,
    {
      createdBy: "RUN apt-get install -y bar",
      files: [
        { path: "usr/bin/bar", size: 1234 },
        { path: "etc/os-release", content: "ID=debian-b\n" },
        { path: "var/lib/dpkg/status", content: STATUS_B },
        { path: "var/lib/dpkg/info/bar.list", content: "/usr/bin/bar\n" },
      ],
    },
  ],
};

let dir: string;
let d: ImageDiff;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-diff-"));
  await writeDockerArchive(join(dir, "a.tar"), HANDWORKED);
  await writeOciLayout(join(dir, "b"), B);
  d = diffImages(
    await openImage(`docker-archive://${join(dir, "a.tar")}`),
    await openImage(`oci-layout://${join(dir, "b")}`),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("diffImages", () => {
  it("finds the shared base layer and the layers only in each", () => {
    expect(d.sharedLayers).toBe(1);
    expect(d.layersOnlyInA.map((l) => l.size)).toEqual([L1, L2, L3]);
    expect(d.layersOnlyInB).toHaveLength(1);
    expect(d.layersOnlyInB[0]!.createdBy).toBe("RUN apt-get install -y bar");
  });

  it("lists files added, removed and changed with sizes", () => {
    const added = Object.fromEntries(d.files.added.map((f) => [f.path, f.after]));
    // tmp/cache/a and b: A's opaque layer removed them; B never did.
    expect(added).toMatchObject({ "/usr/bin/bar": 1234, "/tmp/cache/a": 400, "/tmp/cache/b": 100 });
    expect(d.files.added).toHaveLength(4); // + the bar.list
    const removed = d.files.removed.map((f) => f.path);
    expect(removed).toContain("/app/app.py");
    expect(removed).toContain("/usr/local/bin/flask");
    expect(removed).toContain("/tmp/cache/c");
    expect(removed).not.toContain("/big.bin"); // never in A's final tree
    const changed = Object.fromEntries(d.files.changed.map((f) => [f.path, [f.before, f.after, f.what]]));
    expect(changed["/usr/lib/libfoo.so.1"]).toEqual([2500, 3000, ["size"]]);
    expect(changed["/etc/os-release"]).toEqual([10, 12, ["size"]]);
    expect(Object.keys(changed)).toContain("/var/lib/dpkg/status");
    expect(d.files.changedDelta).toBe(d.files.changed.reduce((s, f) => s + f.after - f.before, 0));
  });

  it("lists packages added, removed and changed with versions", () => {
    const row = (p: { ecosystem: string; name: string; before: string | null; after: string | null }) =>
      `${p.ecosystem}:${p.name} ${p.before ?? "-"} -> ${p.after ?? "-"}`;
    expect(d.packages.added.map(row)).toEqual(["deb:bar - -> 2.0"]);
    expect(d.packages.changed.map(row)).toEqual(["deb:foo 1.0 -> 1.1"]);
    expect(d.packages.removed.map(row)).toEqual([
      "deb:gcc-12 12.2.0-14 -> -",
      "npm:@scope/inner 2.0.0 -> -",
      "npm:left-pad 1.3.0 -> -",
      "python:flask 3.0.0 -> -",
    ]);
  });

  it("lists config changes", () => {
    expect(d.config).toEqual([
      { field: "cmd", before: ["python", "app.py"], after: ["bar"] },
      { field: "labels.team", before: null, after: "x" },
    ]);
  });

  it("renders tty and markdown", () => {
    const tty = renderDiffTty(d);
    expect(tty).toContain("1 shared leading layers");
    expect(tty).toMatch(/Packages: 1 added, 4 removed, 1 changed/);
    expect(tty).toContain('cmd: ["python","app.py"] -> ["bar"]');
    const md = renderDiffMarkdown(d);
    expect(md).toContain("| changed | deb | foo | 1.0 | 1.1 |");
    expect(md).toContain("### Files added (4)");
  });

  it("finds nothing between an image and itself", async () => {
    const a = await openImage(`docker-archive://${join(dir, "a.tar")}`);
    const same = diffImages(a, a);
    expect(same.files.added.length + same.files.removed.length + same.files.changed.length).toBe(0);
    expect(same.sharedLayers).toBe(4);
    expect(same.config).toEqual([]);
  });
});
