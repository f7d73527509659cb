import { createHash } from "node:crypto";
import { createGzip } from "node:zlib";
import { InputError, InterruptedError } from "../../errors.js";
import {
  LayerCollector,
  type LayerReadResult,
  type ReadLayerOptions,
  sniffCompression,
} from "./layer-reader.js";
import type { RandomAccessFile } from "./tar-seek.js";
import { forEachTarEntry } from "./tar-seek.js";

async function gzipSize(file: RandomAccessFile, start: number, end: number): Promise<number> {
  const gz = createGzip({ level: 6 });
  let bytes = 0;
  gz.on("data", (c: Buffer) => {
    bytes += c.length;
  });
  const ended = new Promise<void>((resolve, reject) => {
    gz.on("end", resolve);
    gz.on("error", reject);
  });
  for (const chunk of file.chunks(start, end)) {
    // The chunk buffer is reused: wait until zlib has consumed it.
    await new Promise<void>((resolve, reject) => gz.write(chunk, (err) => (err ? reject(err) : resolve())));
  }
  gz.end();
  await ended;
  return bytes;
}

/**
 * Reads a plain (uncompressed) layer tar stored at [start, end) of a file by
 * seeking over file contents. Returns null for a compressed layer, which the
 * caller streams instead. With `verify`, the layer is hashed in one
 * sequential pass first (the only way to check its digest).
 */
export async function readPlainLayerAt(
  file: RandomAccessFile,
  start: number,
  end: number,
  opts: ReadLayerOptions & { verify: boolean },
): Promise<LayerReadResult | null> {
  const head = file.read(start, Math.min(4, end - start));
  if (sniffCompression(head) !== "none") return null;
  const budget = opts.budget;
  budget.uncompressedBytes += end - start;
  if (budget.uncompressedBytes > budget.limits.maxUncompressedBytes) {
    throw new InputError(
      `${opts.name}: the image expands to more than ${budget.limits.maxUncompressedBytes} bytes uncompressed; reading stopped`,
    );
  }
  let digest = "";
  if (opts.verify) {
    const hash = createHash("sha256");
    let n = 0;
    for (const chunk of file.chunks(start, end)) {
      hash.update(chunk);
      if (++n % 64 === 0) {
        if (opts.signal?.aborted) throw new InterruptedError();
        await new Promise((r) => setImmediate(r));
      }
    }
    digest = `sha256:${hash.digest("hex")}`;
  }
  const estimate = opts.estimateCompressed ? gzipSize(file, start, end) : undefined;
  const collector = new LayerCollector(opts);
  forEachTarEntry(file, start, end, opts.name, (e) => {
    const want = collector.add(e);
    if (want !== null) collector.content(want, file.readFresh(e.dataOffset, e.size));
  });
  if (opts.signal?.aborted) throw new InterruptedError();
  const result: LayerReadResult = {
    blobDigest: digest,
    diffId: digest,
    compression: "none",
    blobBytes: end - start,
    tarBytes: end - start,
    ...collector.finish(),
  };
  if (estimate) result.estimatedGzipBytes = await estimate;
  return result;
}
