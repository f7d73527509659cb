import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { type Header, pack } from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../errors.js";
import { filler } from "../test-helpers/image-writer.js";
import { type RawTarEntry, readLayer } from "./layer-reader.js";
import { ReadBudget, resolveLimits } from "./limits.js";
import { forEachTarEntry, RandomAccessFile } from "./tar-seek.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-tar-seek-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Spec {
  header: Partial<Header> & Pick<Header, "name">;
  data?: Buffer;
}

async function packTar(specs: readonly Spec[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of p as unknown as Readable) chunks.push(c as Buffer);
  })();
  for (const s of specs) p.entry({ mtime: new Date(0), ...s.header }, s.data ?? Buffer.alloc(0));
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

function seekWalk(file: string): RawTarEntry[] {
  const raf = new RandomAccessFile(file);
  const out: RawTarEntry[] = [];
  try {
    forEachTarEntry(raf, 0, raf.size, file, (e) => {
      out.push({
        name: e.name,
        type: e.type,
        mode: e.mode,
        uid: e.uid,
        gid: e.gid,
        size: e.size,
        linkname: e.linkname,
      });
    });
  } finally {
    raf.close();
  }
  return out;
}

/** The same tar through tar-stream (the streaming reader): what the seeking walk must agree with. */
async function streamEntries(tar: Buffer): Promise<Array<{ path: string; size: number }>> {
  const budget = new ReadBudget(resolveLimits({}));
  const read = await readLayer(Readable.from([tar]), { name: "t", budget });
  return read.entries.map((e) => ({ path: e.path, size: e.size }));
}

describe("the WebAssembly tar walk", () => {
  it("agrees with tar-stream across window boundaries, with pax names and GNU-sized entries", async () => {
    // 1,500 files whose sizes put headers, pax headers and their records across every
    // position of the 64 KiB windows; every 7th has a name too long for ustar (a pax path).
    const specs: Spec[] = [];
    for (let i = 0; i < 1500; i++) {
      const size = (i * 7919) % 70_000;
      const name = i % 7 === 0 ? `deep/${"n".repeat(120 + (i % 50))}/f${i}` : `d${i % 13}/f${i}.bin`;
      specs.push({ header: { name, size, mode: 0o640, uid: i, gid: i % 5 }, data: filler(size, i) });
    }
    specs.push({ header: { name: "ln", type: "symlink", linkname: `/${"t".repeat(300)}` } });
    const tar = await packTar(specs);
    const file = join(dir, "many.tar");
    await writeFile(file, tar);
    const seek = seekWalk(file);
    expect(seek).toHaveLength(1501);
    expect(seek.map((e) => ({ path: e.name, size: e.size }))).toEqual(await streamEntries(tar));
    expect(seek[7]).toMatchObject({ name: `deep/${"n".repeat(127)}/f7`, uid: 7, gid: 2, mode: 0o640 });
    expect(seek[1500]).toMatchObject({ type: "symlink", linkname: `/${"t".repeat(300)}` });
  });

  it("reads a window as large as an entry's headers need (a 200 KiB pax record)", async () => {
    const tar = await packTar([
      { header: { name: "before", size: 3 }, data: Buffer.from("abc") },
      {
        header: { name: "big-pax", size: 5, pax: { comment: "c".repeat(200 * 1024) } },
        data: Buffer.from("12345"),
      },
      { header: { name: "after", size: 0 } },
    ]);
    const file = join(dir, "bigpax.tar");
    await writeFile(file, tar);
    expect(seekWalk(file).map((e) => `${e.name}:${e.size}`)).toEqual(["before:3", "big-pax:5", "after:0"]);
  });

  it("takes uid, gid and size from pax records", async () => {
    const tar = await packTar([
      { header: { name: "ids", size: 2, pax: { uid: "3000000000", gid: "77" } }, data: Buffer.from("ok") },
    ]);
    const file = join(dir, "ids.tar");
    await writeFile(file, tar);
    expect(seekWalk(file)[0]).toMatchObject({ name: "ids", uid: 3_000_000_000, gid: 77, size: 2 });
  });

  it("rejects a pax size that is not a number, and a file shorter than its headers", async () => {
    const tar = await packTar([{ header: { name: "x", size: 0, pax: { size: "12ab" } } }]);
    const file = join(dir, "badsize.tar");
    await writeFile(file, tar);
    expect(() => seekWalk(file)).toThrow(InputError);
    expect(() => seekWalk(file)).toThrow(/pax size/);

    const big = await packTar([{ header: { name: "p", size: 0, pax: { comment: "c".repeat(100 * 1024) } } }]);
    const cut = join(dir, "cut.tar");
    await writeFile(cut, big.subarray(0, 90 * 1024));
    const raf = new RandomAccessFile(cut);
    try {
      // The caller says the tar is longer than the file: the walk must fail, not wait for bytes.
      expect(() => forEachTarEntry(raf, 0, big.length, "cut", () => {})).toThrow(/truncated/);
    } finally {
      raf.close();
    }
  });

  it("walks again from inside another walk's callback (a second instance)", async () => {
    const tar = await packTar([
      { header: { name: "a", size: 1 }, data: Buffer.from("a") },
      { header: { name: "b", size: 1 }, data: Buffer.from("b") },
    ]);
    const file = join(dir, "nested.tar");
    await writeFile(file, tar);
    const seen: string[] = [];
    const raf = new RandomAccessFile(file);
    try {
      forEachTarEntry(raf, 0, raf.size, "outer", (e) => {
        const name = e.name;
        forEachTarEntry(raf, 0, raf.size, "inner", (f) => seen.push(`${name}/${f.name}`));
      });
    } finally {
      raf.close();
    }
    expect(seen).toEqual(["a/a", "a/b", "b/a", "b/b"]);
  });
});
