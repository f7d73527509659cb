/**
 * Fuzz: mutated image archives (bytes flipped, cut, repeated; in the tar
 * index, the JSON documents and gzip/zstd layers) through the streaming
 * reader. Invariant: the result is an image or a typed input error, never
 * another error, and the read stays within the limits.
 */
import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, it } from "vitest";
import { fuzzRuns, fuzzTimeout, onlyInputErrorsAsync } from "../../../test/fuzz.js";
import { buildLayer, imageConfig, sha256 } from "../test-helpers/image-writer.js";
import { readImageArchive } from "./archive-reader.js";
import { readLayer } from "./layer-reader.js";
import { ReadBudget, resolveLimits } from "./limits.js";

async function tarOf(entries: Array<{ name: string; data: Buffer }>): Promise<Buffer> {
  const { pack } = await import("tar-stream");
  const p = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of p as unknown as Readable) chunks.push(c as Buffer);
  })();
  for (const e of entries) p.entry({ name: e.name, mtime: new Date(0) }, e.data);
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

async function seedArchive(): Promise<{ archive: Buffer; layers: Buffer[] }> {
  const img = {
    layers: [
      { compression: "gzip" as const, files: [{ path: "etc/os-release", content: "ID=debian\n" }] },
      { compression: "zstd" as const, files: [{ path: "app/a.txt", size: 3000 }] },
      { files: [{ path: "app/b", type: "symlink" as const, target: "a.txt" }] },
    ],
  };
  const built = await Promise.all(img.layers.map(buildLayer));
  const config = imageConfig(img, built);
  const archive = await tarOf([
    ...built.map((b, i) => ({ name: `l${i}/layer.tar`, data: b.blob })),
    { name: "config.json", data: config },
    {
      name: "manifest.json",
      data: Buffer.from(
        JSON.stringify([{ Config: "config.json", Layers: built.map((_, i) => `l${i}/layer.tar`) }]),
      ),
    },
  ]);
  return { archive, layers: built.map((b) => b.blob) };
}

type Edit = { at: number; kind: "flip" | "cut" | "repeat"; byte: number; len: number };
const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom("flip" as const, "cut" as const, "repeat" as const),
  byte: fc.integer({ min: 0, max: 255 }),
  len: fc.integer({ min: 1, max: 600 }),
});

function mutate(b: Buffer, edits: readonly Edit[]): Buffer {
  let out = Buffer.from(b);
  for (const e of edits) {
    const at = e.at % Math.max(1, out.length);
    if (e.kind === "flip") out[at] = e.byte;
    else if (e.kind === "cut") out = Buffer.concat([out.subarray(0, at), out.subarray(at + e.len)]);
    else
      out = Buffer.concat([
        out.subarray(0, at + e.len),
        out.subarray(at, at + e.len),
        out.subarray(at + e.len),
      ]);
  }
  return out;
}

const limits = {
  maxUncompressedBytes: 64 * 1024 * 1024,
  bombMinBytes: 1024 * 1024,
  maxCompressionRatio: 200,
};

describe("fuzz: image archives", () => {
  it(
    "a mutated docker-archive reads or fails with a typed input error",
    async () => {
      const { archive } = await seedArchive();
      await fc.assert(
        fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => {
          const bytes = mutate(archive, edits);
          await onlyInputErrorsAsync(
            () =>
              readImageArchive(
                Readable.from([bytes]),
                { ref: "fuzz.tar", scheme: "docker-archive", where: "fuzz.tar" },
                { limits },
              ),
            `edits ${JSON.stringify(edits)}`,
          );
        }),
        fuzzRuns(150),
      );
    },
    fuzzTimeout(150, 300),
  );

  it(
    "a mutated gzip or zstd layer reads or fails with a typed input error",
    async () => {
      const { layers } = await seedArchive();
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: layers.length - 1 }),
          fc.array(edit, { minLength: 1, maxLength: 4 }),
          async (i, edits) => {
            const bytes = mutate(layers[i] as Buffer, edits);
            await onlyInputErrorsAsync(
              () =>
                readLayer(Readable.from([bytes]), {
                  name: `layer ${i}`,
                  budget: new ReadBudget(resolveLimits(limits)),
                }),
              `layer ${i} edits ${JSON.stringify(edits)} sha ${sha256(bytes)}`,
            );
          },
        ),
        fuzzRuns(300),
      );
    },
    fuzzTimeout(300, 200),
  );
});
