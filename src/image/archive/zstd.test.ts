import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { layerTar } from "../test-helpers/image-writer.js";
import { readLayer } from "./layer-reader.js";
import { ReadBudget, resolveLimits } from "./limits.js";
import { FZSTD_MAX_WINDOW, zstdWindowSize } from "./zstd.js";

const sha = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

function zstd(data: Buffer, args: string[]): Buffer {
  const r = spawnSync("zstd", ["-q", "-c", ...args], { input: data, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`zstd ${args.join(" ")}: ${r.stderr.toString()}`);
  return r.stdout;
}

/** A layer big enough that a 128 MiB window's matches reach past 64 MiB: the same random block twice, 80 MiB apart. */
async function farMatchLayer(): Promise<Buffer> {
  const block = createHash("sha512").update("seed").digest();
  const random = Buffer.alloc(2 * 1024 * 1024);
  for (let i = 0; i < random.length; i += 64)
    createHash("sha512").update(block).update(String(i)).digest().copy(random, i);
  const gap = Buffer.alloc(80 * 1024 * 1024, 0x20);
  return layerTar([
    { path: "a.bin", content: random },
    { path: "gap.txt", content: gap },
    { path: "b.bin", content: random },
  ]);
}

describe("zstd layers", () => {
  it("reads the window of a frame header (windowed and single-segment frames)", () => {
    // Level 3 from a pipe: a windowed frame (2 MiB here).
    expect(zstdWindowSize(zstd(Buffer.from("hello hello hello"), ["-3"]))).toBeLessThanOrEqual(
      8 * 1024 * 1024,
    );
    // A single-segment frame (FHD bit 5) with a one-byte content size: the window is the content size.
    expect(zstdWindowSize(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x20, 17, 0, 0]))).toBe(17);
    // A two-byte content size counts from 256.
    expect(zstdWindowSize(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x60, 0x00, 0x01, 0]))).toBe(256 + 256);
    const long = zstd(Buffer.alloc(1000), ["--long=27", "--no-content-size"]);
    expect(zstdWindowSize(long)).toBe(2 ** 27);
    expect(zstdWindowSize(Buffer.from("not zstd"))).toBeUndefined();
  });

  it("decodes a layer with a 128 MiB window (zstd --long=27) byte for byte, through the zstd program", async () => {
    const tar = await farMatchLayer();
    const blob = zstd(tar, ["-19", "--long=27"]);
    expect(zstdWindowSize(blob)).toBeGreaterThan(FZSTD_MAX_WINDOW);
    const budget = new ReadBudget(resolveLimits(undefined));
    const r = await readLayer(Readable.from([blob]), { name: "long", budget });
    expect(r.diffId).toBe(sha(tar));
    expect(r.entries.map((e) => e.path)).toEqual(["a.bin", "gap.txt", "b.bin"]);
  }, 60_000);

  it("decodes an ordinary zstd layer with the built-in decoder", async () => {
    const tar = await layerTar([{ path: "x.txt", content: "x".repeat(100_000) }]);
    const budget = new ReadBudget(resolveLimits(undefined));
    const r = await readLayer(Readable.from([zstd(tar, ["-3"])]), { name: "plain", budget });
    expect(r.diffId).toBe(sha(tar));
  });
});
