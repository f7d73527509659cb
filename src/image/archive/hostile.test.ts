import { createReadStream, existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pack } from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError, InterruptedError } from "../../errors.js";
import { analyzeImage } from "../analysis/analyze.js";
import { buildTreeView } from "../format/tree.js";
import { openImage } from "../open.js";
import {
  buildLayer,
  type FixtureImage,
  imageConfig,
  sha256,
  writeDockerArchive,
  writeTar,
  writeZeroBombLayer,
} from "../test-helpers/image-writer.js";
import { readImageArchive } from "./archive-reader.js";
import { readLayer } from "./layer-reader.js";
import { DEFAULT_LIMITS, ReadBudget, resolveLimits } from "./limits.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-hostile-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const simple: FixtureImage = {
  layers: [
    { compression: "gzip", files: [{ path: "a.txt", content: "hello" }] },
    { files: [{ path: "b.txt", size: 1000 }] },
  ],
};

type Mode = "seek" | "stream";
/** The docker-archive source seeks in files; the engine's export is streamed. Both must behave alike. */
function openArchive(mode: Mode, file: string, opts: { verifyDigests?: boolean } = {}) {
  return mode === "seek"
    ? openImage(`docker-archive://${file}`, opts)
    : readImageArchive(createReadStream(file), { ref: file, scheme: "docker-archive", where: file }, opts);
}

async function expectInputError(p: Promise<unknown>, re: RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  expect((err as Error).message).toMatch(re);
}

/** A raw layer tar with names tar-stream's packer would normally never be asked to write. */
async function rawLayer(
  entries: Array<{ name: string; type?: "symlink" | "link"; linkname?: string; data?: Buffer }>,
) {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of p as unknown as Readable) chunks.push(c as Buffer);
  })();
  for (const e of entries) {
    if (e.type) p.entry({ name: e.name, type: e.type, linkname: e.linkname ?? "", mtime: new Date(0) });
    else p.entry({ name: e.name, mtime: new Date(0) }, e.data ?? Buffer.alloc(0));
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

async function archiveWithLayer(name: string, layerTar: Buffer): Promise<string> {
  const config = imageConfig({ layers: [{ files: [] }] }, [
    { tar: layerTar, blob: layerTar, diffId: sha256(layerTar), digest: sha256(layerTar), mediaType: "" },
  ]);
  const file = join(dir, name);
  await writeTar(file, [
    { name: "l0/layer.tar", data: layerTar },
    { name: "config.json", data: config },
    {
      name: "manifest.json",
      data: Buffer.from(JSON.stringify([{ Config: "config.json", Layers: ["l0/layer.tar"] }])),
    },
  ]);
  return file;
}

describe.each<Mode>(["seek", "stream"])("%s reader", (mode) => {
  describe("hostile paths", () => {
    it("drops ../ entries that leave the root and roots absolute paths, with warnings, writing nothing", async () => {
      const layer = await rawLayer([
        { name: "../../escaped.txt", data: Buffer.from("x") },
        { name: "/abs/file.txt", data: Buffer.from("abc") },
        { name: "ok/../inside.txt", data: Buffer.from("12") },
      ]);
      const before = await readdir(dir);
      const file = await archiveWithLayer(`paths-${mode}.tar`, layer);
      const img = await openArchive(mode, file);
      expect(img.layers[0]!.entries.map((e) => e.path)).toEqual(["abs/file.txt", "inside.txt"]);
      expect(img.warnings.join("\n")).toMatch(
        /escapes the image root: "\.\.\/\.\.\/escaped\.txt" \(skipped\)/,
      );
      expect(img.warnings.join("\n")).toMatch(/absolute path: "\/abs\/file\.txt"/);
      expect(existsSync(join(dir, "..", "..", "escaped.txt"))).toBe(false);
      expect(existsSync("/abs/file.txt")).toBe(false);
      // Reading wrote nothing: the temp dir holds only what the test itself wrote.
      expect((await readdir(dir)).sort()).toEqual([...before, `paths-${mode}.tar`].sort());
    });

    it("follows symlink chains and reports loops instead of hanging", async () => {
      const layer = await rawLayer([
        { name: "real/", data: undefined },
        { name: "real/file", data: Buffer.alloc(500, 1) },
        { name: "l1", type: "symlink", linkname: "l2" },
        { name: "l2", type: "symlink", linkname: "/l3" },
        { name: "l3", type: "symlink", linkname: "real" },
        { name: "loopa", type: "symlink", linkname: "loopb" },
        { name: "loopb", type: "symlink", linkname: "loopa" },
        {
          name: "var/lib/dpkg/status",
          data: Buffer.from("Package: p\nStatus: install ok installed\nVersion: 1\n"),
        },
        { name: "var/lib/dpkg/info/p.list", data: Buffer.from("/l1/file\n/loopa/x\n") },
      ]);
      const file = await archiveWithLayer("links.tar", layer);
      const img = await openArchive(mode, file);
      const a = analyzeImage(img);
      // The chain l1 -> l2 -> /l3 -> real resolves: p owns real/file.
      expect(a.byOwner.find((o) => o.name === "p")).toMatchObject({ files: 1, bytes: 500 });
      expect(a.warnings.join("\n")).toMatch(/symlink loop while resolving \/loopa\/x/);
      expect(buildTreeView(img, "/l1").path).toBe("/real");
      expect(() => buildTreeView(img, "/loopa/x")).toThrow(/loop/);
    });

    it("warns about hardlinks whose target is missing", async () => {
      const layer = await rawLayer([
        { name: "present", data: Buffer.from("x") },
        { name: "dangling", type: "link", linkname: "missing/target" },
        { name: "escaping", type: "link", linkname: "../../etc/shadow" },
      ]);
      const file = await archiveWithLayer("hardlinks.tar", layer);
      const img = await openArchive(mode, file);
      const w = img.warnings.join("\n");
      expect(w).toMatch(/hardlink dangling -> missing\/target: target missing/);
      expect(w).toMatch(/hardlink escaping points outside the image root/);
      expect(analyzeImage(img).finalBytes).toBe(1);
    });
  });

  describe("broken archives", () => {
    it("rejects a truncated gzip layer with a clear error", async () => {
      const l = await buildLayer({ compression: "gzip", files: [{ path: "f", size: 50_000 }] });
      const cut = l.blob.subarray(0, Math.floor(l.blob.length / 2));
      const file = join(dir, "trunc-gzip.tar");
      await writeTar(file, [
        { name: "l0/layer.tar", data: cut },
        { name: "manifest.json", data: Buffer.from('[{"Config":"c.json","Layers":["l0/layer.tar"]}]') },
      ]);
      await expectInputError(openArchive(mode, file), /l0\/layer\.tar: truncated gzip stream/);
    });

    it("rejects a truncated zstd layer", async () => {
      const l = await buildLayer({ compression: "zstd", files: [{ path: "f", size: 200_000 }] });
      const file = join(dir, "trunc-zstd.tar");
      await writeTar(file, [
        { name: "l0/layer.tar", data: l.blob.subarray(0, 100_000) },
        { name: "manifest.json", data: Buffer.from('[{"Config":"c.json","Layers":["l0/layer.tar"]}]') },
      ]);
      await expectInputError(openArchive(mode, file), /l0\/layer\.tar: .*(zstd|truncated)/);
    });

    it("rejects a layer listed in the manifest but missing from the archive", async () => {
      const file = join(dir, "missing.tar");
      await writeDockerArchive(file, simple, { omitLayers: [1] });
      await expectInputError(openArchive(mode, file), /layer 1 .* listed in manifest\.json but missing/);
    });

    it("rejects a config whose diff ids lie", async () => {
      const file = join(dir, "lie.tar");
      await writeDockerArchive(file, simple, { lieAboutDiffId: 0 });
      await expectInputError(openArchive(mode, file), /layer 0 .*does not match the image config/);
    });

    it("rejects an OCI-in-tar blob whose name is not its digest", async () => {
      const l = await buildLayer({ files: [{ path: "x", content: "x" }] });
      const config = imageConfig({ layers: [{ files: [] }] }, [l]);
      const wrong = `blobs/sha256/${"ab".repeat(32)}`;
      const file = join(dir, "lying-blob.tar");
      await writeTar(file, [
        { name: wrong, data: l.blob },
        { name: `blobs/sha256/${sha256(config).slice(7)}`, data: config },
        {
          name: "manifest.json",
          data: Buffer.from(
            JSON.stringify([{ Config: `blobs/sha256/${sha256(config).slice(7)}`, Layers: [wrong] }]),
          ),
        },
      ]);
      await expectInputError(openArchive(mode, file), /layer 0 .*wrong content/);
    });

    it("rejects a config blob whose name is not its digest", async () => {
      const l = await buildLayer({ files: [{ path: "x", content: "x" }] });
      const config = imageConfig({ layers: [{ files: [] }] }, [l]);
      const name = `blobs/sha256/${"cd".repeat(32)}`;
      const file = join(dir, "lying-config.tar");
      await writeTar(file, [
        { name: `blobs/sha256/${l.digest.slice(7)}`, data: l.blob },
        { name, data: config },
        {
          name: "manifest.json",
          data: Buffer.from(
            JSON.stringify([{ Config: name, Layers: [`blobs/sha256/${l.digest.slice(7)}`] }]),
          ),
        },
      ]);
      await expectInputError(openArchive(mode, file), /wrong content/);
    });

    it("rejects manifests that are not JSON or name no config", async () => {
      const file = join(dir, "badjson.tar");
      await writeTar(file, [{ name: "manifest.json", data: Buffer.from("[{not json") }]);
      await expectInputError(openArchive(mode, file), /manifest\.json is not valid JSON/);
      const file2 = join(dir, "noconfig.tar");
      await writeTar(file2, [
        { name: "manifest.json", data: Buffer.from('[{"Config":"gone.json","Layers":[]}]') },
      ]);
      await expectInputError(openArchive(mode, file2), /config gone\.json .* missing/);
    });

    it("rejects a config that lists more layers than the manifest", async () => {
      const l = await buildLayer({ files: [{ path: "x", content: "x" }] });
      const config = imageConfig({ layers: [{ files: [] }, { files: [] }] }, [l, l]);
      const file = join(dir, `count-${mode}.tar`);
      await writeTar(file, [
        { name: "l0/layer.tar", data: l.blob },
        { name: "c.json", data: config },
        { name: "manifest.json", data: Buffer.from('[{"Config":"c.json","Layers":["l0/layer.tar"]}]') },
      ]);
      await expectInputError(
        openArchive(mode, file),
        /the image config lists 2 layers but the manifest has 1/,
      );
    });

    it("rejects a layer that is not a tar", async () => {
      const file = join(dir, "notatar.tar");
      await writeTar(file, [
        { name: "l0/layer.tar", data: Buffer.alloc(2048, 0x41) },
        { name: "manifest.json", data: Buffer.from('[{"Config":"c.json","Layers":["l0/layer.tar"]}]') },
      ]);
      await expectInputError(openArchive(mode, file), /l0\/layer\.tar/);
    });
  });
});

describe("bounded resources", () => {
  it("stops a gzip bomb at the ratio limit, with memory bounded", async () => {
    const bomb = join(dir, "bomb.gz");
    await writeZeroBombLayer(bomb, 128 * 1024 * 1024);
    const compressed = (await readFile(bomb)).length;
    expect(compressed).toBeLessThan(1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    const budget = new ReadBudget(resolveLimits({ bombMinBytes: 8 * 1024 * 1024, maxCompressionRatio: 200 }));
    const err = await readLayer(Readable.from([await readFile(bomb)]), { name: "bomb layer", budget }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/bomb layer: expands more than 200:1 .*decompression bomb/);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(96 * 1024 * 1024);
  });

  it("stops a gzip bomb with the default limits (past 256 MiB), which gzip's best ratio exceeds", async () => {
    expect(DEFAULT_LIMITS.maxCompressionRatio).toBeLessThan(1000);
    const bomb = join(dir, "bomb-default.gz");
    await writeZeroBombLayer(bomb, 320 * 1024 * 1024);
    const budget = new ReadBudget(resolveLimits(undefined));
    const err = await readLayer(Readable.from([await readFile(bomb)]), { name: "bomb", budget }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/expands more than 200:1/);
    expect((err as InputError).hint).toMatch(/--max-ratio/);
    // Stopped soon after the threshold, not at the end of the stream.
    expect(budget.uncompressedBytes).toBeLessThan(300 * 1024 * 1024);
  });

  it("stops when the image would expand past maxUncompressedBytes", async () => {
    const l = await buildLayer({ files: [{ path: "f", size: 300_000 }] });
    const budget = new ReadBudget(resolveLimits({ maxUncompressedBytes: 100_000 }));
    await expectInputError(
      readLayer(Readable.from([l.blob]), { name: "big", budget }),
      /more than 100000 bytes uncompressed/,
    );
  });

  it("stops past maxEntries", async () => {
    const files = Array.from({ length: 50 }, (_, i) => ({ path: `f${i}`, content: "x" }));
    const l = await buildLayer({ files });
    const budget = new ReadBudget(resolveLimits({ maxEntries: 10 }));
    await expectInputError(
      readLayer(Readable.from([l.blob]), { name: "many", budget }),
      /more than 10 file entries/,
    );
  });

  it("does not read a metadata file over the cap, and says so", async () => {
    const l = await buildLayer({ files: [{ path: "var/lib/dpkg/status", size: 5000 }] });
    const budget = new ReadBudget(resolveLimits({ maxMetaFileBytes: 1000 }));
    const r = await readLayer(Readable.from([l.blob]), { name: "meta", budget });
    expect(r.metaFiles.size).toBe(0);
    expect(r.warnings.join()).toMatch(/var\/lib\/dpkg\/status is 5000 bytes, over the metadata cap/);
  });

  it("cleans up and throws InterruptedError when aborted mid-layer", async () => {
    const ac = new AbortController();
    async function* slow(): AsyncGenerator<Buffer> {
      const l = await buildLayer({ files: [{ path: "f", size: 2_000_000 }] });
      for (let i = 0; i < l.blob.length; i += 65536) {
        if (i === 65536 * 4) ac.abort();
        yield l.blob.subarray(i, i + 65536);
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    const budget = new ReadBudget(resolveLimits({}));
    const err = await readLayer(slow(), { name: "slow", budget, signal: ac.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
  });
});
