import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeImage } from "../analysis/analyze.js";
import { openImage } from "../open.js";
import { HANDWORKED } from "../test-helpers/fixtures.js";
import { type FixtureImage, writeDockerArchive, writeOciLayout } from "../test-helpers/image-writer.js";
import { readImageArchive } from "./archive-reader.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-seek-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const stream = (file: string) =>
  readImageArchive(createReadStream(file), {
    ref: `docker-archive://${file}`,
    scheme: "docker-archive",
    where: file,
  });

// Names past ustar's 100 (+155 prefix) bytes need pax records; big ids need them too.
const LONG: FixtureImage = {
  layers: [
    {
      files: [
        { path: `deep/${"d".repeat(120)}/${"e".repeat(150)}/file.txt`, content: "long" },
        { path: "x".repeat(260), size: 10 },
        { path: "link", type: "symlink", target: `/${"t".repeat(200)}` },
        { path: "owned", content: "o", uid: 200_000, gid: 70_000 },
        { path: "hard", type: "hardlink", target: "owned" },
      ],
    },
  ],
};

// Names as `tar -C rootfs .` writes them (every base layer built from a root file system), and odd ones.
const DOT: FixtureImage = {
  layers: [
    {
      files: [
        { path: "./", type: "dir" },
        { path: "./etc/", type: "dir" },
        { path: "./etc/hosts", content: "127.0.0.1 localhost" },
        { path: "./usr/bin/", type: "dir" },
        { path: "./usr/bin/env", size: 12 },
        { path: ".//abs", size: 3 },
        { path: "./a/../b", size: 4 },
        { path: "./.", type: "dir" },
      ],
    },
  ],
};

describe("the seeking reader (files) and the streaming reader (engine) agree", () => {
  it("on ./-prefixed names and directories with a trailing slash", async () => {
    const file = join(dir, "dot.tar");
    await writeDockerArchive(file, DOT);
    const seek = await openImage(`docker-archive://${file}`);
    const streamed = await stream(file);
    expect(seek.layers[0]!.entries).toEqual(streamed.layers[0]!.entries);
    expect(seek.layers[0]!.entries.map((e) => e.path)).toEqual([
      "",
      "etc",
      "etc/hosts",
      "usr/bin",
      "usr/bin/env",
      "abs",
      "b",
      "",
    ]);
    expect(seek.warnings).toEqual(streamed.warnings);
  });

  it.each(["legacy", "oci"] as const)("on the hand-worked image, %s layout", async (format) => {
    const file = join(dir, `hw-${format}.tar`);
    await writeDockerArchive(file, HANDWORKED, { format });
    const seek = await openImage(`docker-archive://${file}`);
    const streamed = await stream(file);
    expect(seek.layers.map((l) => ({ ...l, metaFiles: [...l.metaFiles] }))).toEqual(
      streamed.layers.map((l) => ({ ...l, metaFiles: [...l.metaFiles] })),
    );
    expect(analyzeImage(seek)).toEqual(analyzeImage(streamed));
  });

  it("on pax long names, long link targets and large ids within the field", async () => {
    const file = join(dir, "long.tar");
    await writeDockerArchive(file, LONG);
    const seek = await openImage(`docker-archive://${file}`);
    const streamed = await stream(file);
    expect(seek.layers[0]!.entries).toEqual(streamed.layers[0]!.entries);
    const paths = seek.layers[0]!.entries.map((e) => e.path);
    expect(paths).toContain(`deep/${"d".repeat(120)}/${"e".repeat(150)}/file.txt`);
    expect(paths).toContain("x".repeat(260));
    expect(seek.layers[0]!.entries.find((e) => e.path === "link")?.linkTarget).toBe(`/${"t".repeat(200)}`);
    expect(seek.layers[0]!.entries.find((e) => e.path === "owned")).toMatchObject({
      uid: 200_000,
      gid: 70_000,
    });
  });
});

describe("verifyDigests: false", () => {
  it("reads plain layers without hashing them, says so, and then cannot see a lying digest", async () => {
    const file = join(dir, "lie.tar");
    await writeDockerArchive(file, HANDWORKED, { lieAboutDiffId: 3 });
    await expect(openImage(`docker-archive://${file}`)).rejects.toThrow(/layer 3 .*does not match/);
    const img = await openImage(`docker-archive://${file}`, { verifyDigests: false });
    // gzip and zstd layers are decompressed (and so hashed) anyway; the plain ones are not.
    expect(img.layers.map((l) => l.verified)).toEqual([true, true, false, false]);
    expect(analyzeImage(img).digestsVerified).toBe(false);
    expect(
      analyzeImage(await openImage(`docker-archive://${join(dir, "hw-legacy.tar")}`)).digestsVerified,
    ).toBe(true);
  });

  it("gives the same analysis as a verified read, for archives and OCI layouts", async () => {
    const file = join(dir, "hw-legacy.tar");
    const a = analyzeImage(await openImage(`docker-archive://${file}`));
    const b = analyzeImage(await openImage(`docker-archive://${file}`, { verifyDigests: false }));
    expect({ ...b, digestsVerified: true }).toEqual(a);
    await writeOciLayout(join(dir, "layout"), HANDWORKED);
    const c = analyzeImage(await openImage(`oci-layout://${join(dir, "layout")}`, { verifyDigests: false }));
    expect(c.finalBytes).toBe(a.finalBytes);
  });
});
