import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeImage } from "../analysis/analyze.js";
import type { Analysis } from "../analysis/types.js";
import { buildGates, evaluateGates } from "../gates.js";
import type { Image } from "../model.js";
import { openImage } from "../open.js";
import { HANDWORKED } from "../test-helpers/fixtures.js";
import { writeDockerArchive } from "../test-helpers/image-writer.js";
import { renderInspectMarkdown } from "./inspect-markdown.js";
import { renderInspectTty } from "./inspect-tty.js";
import { buildTreeView, renderTree } from "./tree.js";
import { formatBytes, parseBytes } from "./units.js";

let dir: string;
let image: Image;
let a: Analysis;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-format-"));
  await writeDockerArchive(join(dir, "img.tar"), HANDWORKED);
  image = await openImage(`docker-archive://${join(dir, "img.tar")}`);
  a = analyzeImage(image, { minFindingBytes: 100 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("units", () => {
  it("formats decimal units like docker and parses both kinds", () => {
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(23_500)).toBe("23.5 kB");
    expect(formatBytes(134_000_000)).toBe("134 MB");
    expect(parseBytes("1.5GB")).toBe(1_500_000_000);
    expect(parseBytes("512 MiB")).toBe(512 * 1024 * 1024);
    expect(() => parseBytes("lots")).toThrow(/not a size/);
  });
});

describe("inspect formats", () => {
  it("tty: summary, docker-history-like layers with waste, owners, findings, gates", () => {
    const gates = evaluateGates(buildGates({ maxSize: "40kB" }), a);
    const out = renderInspectTty(a, gates, { color: false });
    expect(out).toContain("fixture/handworked:1");
    expect(out).toMatch(/Waste {5}23\.5 kB, efficiency/);
    expect(out).toMatch(/^ *1 +\d+\.\d kB +20 kB +8 +1 +0 +RUN pip install flask && make$/m);
    // Metadata-only steps have no layer: shown with "-", like docker history's 0 B rows.
    expect(out).toMatch(/^ *- +0 B +- +ENV FOO=bar$/m);
    expect(out).toMatch(/^ *3 +\d+ B +- +6 +0 +0 +COPY \. \/app\/$/m);
    expect(out).toContain("gcc-12 and their headers: 10.5 kB, build-only");
    expect(out).toMatch(/FAIL max-size: image size is \d+\.\d kB, over the limit of 40 kB/);
    expect(out).not.toContain("\u001b[");
  });

  it("markdown: tables with the same figures", () => {
    const md = renderInspectMarkdown(a);
    expect(md).toContain("## Image fixture/handworked:1");
    expect(md).toContain("| wasted | 23.5 kB (efficiency");
    expect(md).toMatch(/\| 1 \| [\d.]+ kB \| 20 kB \| 8 \| 1 \| 0 \| `RUN pip install flask && make` \|/);
    expect(md).toContain("| os-package gcc-12 | 12.2.0-14 | 2 | 10 kB |");
  });

  it("tree: sizes per directory, biggest first, symlinks shown, PATH followed through symlinks", () => {
    const view = buildTreeView(image, "/lib", { depth: 1 });
    expect(view.path).toBe("/usr/lib");
    const text = renderTree(buildTreeView(image, "/", { depth: 1, top: 3 }));
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^\d+\.\d kB {2}\/ {2}\(\/\)$/);
    expect(lines[1]).toMatch(/^├── +\d+\.\d kB {2}usr\/$/);
    expect(lines.at(-1)).toMatch(/^└── … \d+ more, /);
    const full = renderTree(buildTreeView(image, "/", { depth: 1, top: 50 }));
    expect(full).toContain("lib -> usr/lib");
    expect(() => buildTreeView(image, "/nope")).toThrow(/no such path/);
  });
});
