import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError, InterruptedError } from "../../errors.js";
import { analyzeImage } from "../analysis/analyze.js";
import { openImage } from "../open.js";
import { HANDWORKED, L0, L1, L2, L3 } from "../test-helpers/fixtures.js";
import { buildLayer, writeDockerArchive, writeOciLayout } from "../test-helpers/image-writer.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-archive-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the three sources give the same image", () => {
  it("legacy docker-archive, OCI-in-tar, an OCI layout and Podman's export agree on layers and analysis", async () => {
    const built = await writeDockerArchive(join(dir, "legacy.tar"), HANDWORKED);
    await writeDockerArchive(join(dir, "oci.tar"), HANDWORKED, { format: "oci" });
    await writeDockerArchive(join(dir, "podman.tar"), HANDWORKED, { format: "podman" });
    await writeOciLayout(join(dir, "layout"), HANDWORKED, { tag: "1" });
    const images = await Promise.all([
      openImage(`docker-archive://${join(dir, "legacy.tar")}`),
      openImage(`docker-archive://${join(dir, "oci.tar")}`),
      openImage(`oci-layout://${join(dir, "layout")}:1`),
      openImage(`docker-archive://${join(dir, "podman.tar")}`),
    ]);
    for (const img of images) {
      expect(img.layers.map((l) => l.diffId)).toEqual(built.map((b) => b.diffId));
      expect(img.layers.map((l) => l.size)).toEqual([L0, L1, L2, L3]);
      expect(img.layers.map((l) => l.compression)).toEqual(["gzip", "zstd", "none", "none"]);
      expect(img.history).toHaveLength(7);
      expect(img.id).toBe(images[0]!.id);
    }
    const finals = images.map((i) => analyzeImage(i).finalBytes);
    expect(new Set(finals).size).toBe(1);
    expect(images[0]!.repoTags).toEqual(["fixture/handworked:1"]);
    expect(images[1]!.scheme).toBe("docker-archive");
    expect(images[2]!.scheme).toBe("oci-layout");
  });

  it("records whiteouts, opaque dirs, symlinks and hardlinks as entries", async () => {
    const img = await openImage(`docker-archive://${join(dir, "legacy.tar")}`);
    expect(img.layers[2]!.whiteouts).toEqual([
      { path: "big.bin", opaque: false },
      { path: "tmp/cache", opaque: true },
    ]);
    const l0 = img.layers[0]!.entries;
    expect(l0.find((e) => e.path === "lib")).toMatchObject({
      type: "symlink",
      linkTarget: "usr/lib",
      size: 0,
    });
    expect(l0.find((e) => e.path === "usr/bin/cc")).toMatchObject({
      type: "hardlink",
      linkTarget: "usr/bin/gcc-12",
    });
    expect(l0.find((e) => e.path === "etc")).toMatchObject({ type: "dir", mode: 0o755 });
    expect(img.layers[0]!.metaFiles.has("var/lib/dpkg/status")).toBe(true);
    expect(img.warnings).toEqual([]);
  });

  it("reads archives whatever the entry order, and layers docker save stores as symlinks", async () => {
    const file = join(dir, "first.tar");
    await writeDockerArchive(file, HANDWORKED, { manifestFirst: true, duplicateAsSymlink: true });
    const img = await openImage(`docker-archive://${file}`);
    expect(img.layers.map((l) => l.size)).toEqual([L0, L1, L2, L3]);
  });
});

describe("compressed sizes", () => {
  it("are real for gzip and zstd blobs, unknown for plain tars, estimated with gzip -6 on request", async () => {
    const built = await Promise.all(HANDWORKED.layers.map(buildLayer));
    const plain = await openImage(`docker-archive://${join(dir, "legacy.tar")}`);
    expect(plain.layers.map((l) => l.compressedSizeKind)).toEqual(["real", "real", "unknown", "unknown"]);
    expect(plain.layers[0]!.compressedBytes).toBe(built[0]!.blob.length);
    expect(plain.layers[1]!.compressedBytes).toBe(built[1]!.blob.length);
    expect(analyzeImage(plain).compressedBytes).toBeNull();
    const est = await openImage(`docker-archive://${join(dir, "legacy.tar")}`, { estimateCompressed: true });
    expect(est.layers.map((l) => l.compressedSizeKind)).toEqual(["real", "real", "estimated", "estimated"]);
    // Streaming deflate at level 6 gives the same bytes as one-shot gzip -6 (headers included).
    expect(est.layers[3]!.compressedBytes).toBe(gzipSync(built[3]!.tar, { level: 6 }).length);
    const an = analyzeImage(est);
    expect(an.compressedEstimated).toBe(true);
    expect(an.compressedBytes).toBe(est.layers.reduce((s, l) => s + (l.compressedBytes ?? 0), 0));
  });

  it("takes an OCI layout's stored blob size as the real compressed size", async () => {
    const img = await openImage(`oci-layout://${join(dir, "layout")}:1`);
    const built = await buildLayer(HANDWORKED.layers[0]!);
    expect(img.layers[0]).toMatchObject({ compressedSizeKind: "real", compressedBytes: built.blob.length });
    expect(img.layers[0]!.blobDigest).toBe(built.digest);
  });
});

describe("bad references and inputs", () => {
  it("rejects a missing file, a directory, and something that is not an image archive", async () => {
    await expect(openImage(`docker-archive://${join(dir, "nope.tar")}`)).rejects.toThrow(/no such file/);
    await expect(openImage(`docker-archive://${dir}`)).rejects.toThrow(/not a file/);
    const junk = join(dir, "junk.tar");
    await import("node:fs/promises").then((fs) => fs.writeFile(junk, Buffer.alloc(4096, 7)));
    const err = await openImage(`docker-archive://${junk}`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/junk\.tar/);
  });

  it("stops at once when the signal has fired", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(
      openImage(`docker-archive://${join(dir, "legacy.tar")}`, { signal: ac.signal }),
    ).rejects.toBeInstanceOf(InterruptedError);
  });

  it("names the archive in errors about a truncated outer tar", async () => {
    const whole = await readFile(join(dir, "legacy.tar"));
    const cut = join(dir, "cut.tar");
    await import("node:fs/promises").then((fs) =>
      fs.writeFile(cut, whole.subarray(0, Math.floor(whole.length / 2) + 100)),
    );
    const err = await openImage(`docker-archive://${cut}`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain("cut.tar");
  });
});
