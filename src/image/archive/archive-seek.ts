import { createReadStream } from "node:fs";
import { InputError, InterruptedError } from "../../errors.js";
import type { Image, OpenImageOptions } from "../model.js";
import {
  type ArchiveContext,
  assembleArchive,
  isDocumentName,
  isLayerName,
  newArchiveState,
} from "./archive-reader.js";
import { readLayer } from "./layer-reader.js";
import { readPlainLayerAt } from "./layer-seek.js";
import { dirname, joinPath, normaliseEntryPath } from "./paths.js";
import { RandomAccessFile, walkTar } from "./tar-seek.js";

/**
 * The archive reader for a docker-archive *file*: the same result as the
 * streaming reader, but the outer tar is walked by seeking, and plain layer
 * tars are read header by header (hashed in one sequential pass when digests
 * are verified). Compressed layers are streamed through the usual reader.
 */
export async function readImageArchiveFile(
  path: string,
  ctx: ArchiveContext,
  opts: OpenImageOptions = {},
): Promise<Image> {
  const { limits, budget, warnings, docs, layers, aliases } = newArchiveState(opts);
  const verify = opts.verifyDigests !== false;
  const file = new RandomAccessFile(path);
  try {
    const candidates: Array<{ path: string; start: number; end: number }> = [];
    for (const e of walkTar(file, 0, file.size, ctx.where)) {
      if (opts.signal?.aborted) throw new InterruptedError();
      const norm = normaliseEntryPath(e.name);
      if (norm.path === null) {
        warnings.push(`${ctx.where}: skipped archive entry ${JSON.stringify(e.name)}: ${norm.problem}`);
        continue;
      }
      const p = norm.path;
      if (e.type === "symlink" || e.type === "hardlink") {
        const target =
          e.type === "symlink"
            ? normaliseEntryPath(joinPath(dirname(p), e.linkname))
            : normaliseEntryPath(e.linkname);
        if (target.path !== null) aliases.set(p, target.path);
        continue;
      }
      if (e.type !== "file") continue;
      if (
        isDocumentName(p) ||
        (p.startsWith("blobs/") && e.size <= limits.maxJsonBytes && file.read(e.dataOffset, 1)[0] === 0x7b)
      ) {
        if (e.size > limits.maxJsonBytes) {
          throw new InputError(
            `${ctx.where}: ${p} is larger than ${limits.maxJsonBytes} bytes: not an image document`,
          );
        }
        docs.set(p, file.readFresh(e.dataOffset, e.size));
        continue;
      }
      if (isLayerName(p)) candidates.push({ path: p, start: e.dataOffset, end: e.dataOffset + e.size });
    }
    for (const c of candidates) {
      const layerOpts = {
        name: `${ctx.where}: ${c.path}`,
        budget,
        estimateCompressed: opts.estimateCompressed === true,
        ...(opts.signal ? { signal: opts.signal } : {}),
      };
      let read = await readPlainLayerAt(file, c.start, c.end, { ...layerOpts, verify });
      if (read === null) {
        if (c.end === c.start) continue;
        read = await readLayer(
          createReadStream(path, { start: c.start, end: c.end - 1, highWaterMark: 1024 * 1024 }),
          layerOpts,
        );
      }
      warnings.push(...read.warnings);
      layers.set(c.path, read);
    }
  } finally {
    file.close();
  }
  return assembleArchive(ctx, docs, layers, aliases, warnings);
}
