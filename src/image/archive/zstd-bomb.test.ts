/**
 * zstd bombs (issue #16, finding 2): a 266 KB archive drove inspect to
 * 8.4 GB because fzstd decoded whole chunks at once. Built here by hand:
 * one raw block holding a tar header, then 128 KiB RLE blocks of zeros
 * (4 bytes each on the wire), the shape `zstd` itself writes for zeros.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { pack } from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../test/cli.js";
import { InputError, LimitError } from "../../errors.js";
import { imageConfig, sha256, writeTar } from "../test-helpers/image-writer.js";
import { readLayer } from "./layer-reader.js";
import { ReadBudget, resolveLimits } from "./limits.js";

const BLOCK = 128 * 1024;
const MAX_RSS_PROBE = fileURLToPath(new URL("../../../test/probes/max-rss.mjs", import.meta.url));

function frameHeader(windowLog: number): Buffer {
  // Magic, FHD 0 (not single-segment, no checksum, no dictionary), window descriptor.
  return Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, (windowLog - 10) << 3]);
}

function blockHeader(type: 0 | 1, size: number, last: boolean): Buffer {
  const v = (size << 3) | (type << 1) | (last ? 1 : 0);
  return Buffer.from([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff]);
}

/** The 512-byte tar header tar-stream writes for a file of `size` bytes. */
async function tarHeader(size: number): Promise<Buffer> {
  const p = pack();
  p.entry({ name: "bomb", size, mode: 0o644, mtime: new Date(0) });
  for await (const c of p as unknown as Readable) {
    p.destroy();
    return (c as Buffer).subarray(0, 512);
  }
  throw new Error("no tar header");
}

/** A zstd layer whose tar holds one file of `blocks` x 128 KiB zeros. */
async function zstdBomb(blocks: number, windowLog = 17): Promise<Buffer> {
  const parts: Buffer[] = [
    frameHeader(windowLog),
    blockHeader(0, 512, false),
    await tarHeader(blocks * BLOCK),
  ];
  const rle = Buffer.concat([blockHeader(1, BLOCK, false), Buffer.from([0])]);
  for (let i = 0; i < blocks - 1; i++) parts.push(rle);
  parts.push(blockHeader(1, BLOCK, true), Buffer.from([0]));
  return Buffer.concat(parts);
}

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-zstd-bomb-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("zstd bombs", () => {
  it("the hand-made frame is real zstd: a small one decodes to its tar", async () => {
    const small = await zstdBomb(4);
    const r = await readLayer(Readable.from([small]), {
      name: "small",
      budget: new ReadBudget(resolveLimits(undefined)),
    });
    expect(r.compression).toBe("zstd");
    expect(r.entries.map((e) => [e.path, e.size])).toEqual([["bomb", 4 * BLOCK]]);
  });

  it("stops an 8 GiB zstd bomb (256 KiB on disk) at the ratio limit, having decoded little past 256 MiB", async () => {
    const bomb = await zstdBomb(64 * 1024);
    expect(bomb.length).toBeLessThan(300 * 1024);
    const budget = new ReadBudget(resolveLimits(undefined));
    const err = await readLayer(Readable.from([bomb]), { name: "bomb", budget }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/bomb: expands more than 200:1 .*decompression bomb/);
    expect(budget.uncompressedBytes).toBeLessThan(300 * 1024 * 1024);
  });

  it("refuses a later frame that claims a 2 GiB window before the decoder allocates it", async () => {
    const ok = await zstdBomb(1);
    const huge = Buffer.concat([frameHeader(31), blockHeader(1, BLOCK, true), Buffer.from([0])]);
    const err = await readLayer(Readable.from([Buffer.concat([ok, huge])]), {
      name: "two-frames",
      budget: new ReadBudget(resolveLimits(undefined)),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LimitError);
    expect((err as Error).message).toMatch(/two-frames: zstd frame 2 has a 2048 MiB window/);
  });

  it("refuses a first frame whose window is over what the zstd program may use", async () => {
    const huge = Buffer.concat([frameHeader(31), blockHeader(1, BLOCK, true), Buffer.from([0])]);
    const err = await readLayer(Readable.from([huge]), {
      name: "huge",
      budget: new ReadBudget(resolveLimits(undefined)),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LimitError);
  });

  it("`slimstage inspect` on an archive holding the bomb exits 2 with peak memory under 256 MB", async () => {
    const layer = await zstdBomb(64 * 1024);
    const config = imageConfig({ layers: [{ files: [] }] }, [
      { tar: layer, blob: layer, diffId: sha256(layer), digest: sha256(layer), mediaType: "" },
    ]);
    const file = join(dir, "bomb.tar");
    await writeTar(file, [
      { name: "l0/layer.tar", data: layer },
      { name: "config.json", data: config },
      {
        name: "manifest.json",
        data: Buffer.from(JSON.stringify([{ Config: "config.json", Layers: ["l0/layer.tar"] }])),
      },
    ]);
    const r = await runCli(["inspect", `docker-archive://${file}`, "--json"], {
      nodeArgs: ["--import", MAX_RSS_PROBE],
    });
    expect(r.code, r.stderr).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toMatch(/decompression bomb/);
    const kb = Number(/slimstage-test-max-rss-kb=(\d+)/.exec(r.stderr)?.[1]);
    expect(kb).toBeGreaterThan(0);
    expect(kb * 1024).toBeLessThan(256 * 1024 * 1024);
  });
});
