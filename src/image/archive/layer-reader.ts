import { createHash } from "node:crypto";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip, type Gzip } from "node:zlib";
import { extract, type Header } from "tar-stream";
import { InputError, InterruptedError } from "../../errors.js";
import type { CompressionKind, EntryType, FileEntry, Whiteout } from "../model.js";
import type { ReadBudget } from "./limits.js";
import { isMetaFile, shrinkMetaFile } from "./meta-files.js";
import { basename, dirname, isCleanPath, joinPath, normaliseEntryPath } from "./paths.js";
import { createZstdDecompress } from "./zstd.js";

/** What one pass over a layer blob yields: metadata, digests and sizes, never file contents. */
export interface LayerReadResult {
  /** sha256 of the bytes as stored. */
  blobDigest: string;
  /** sha256 of the uncompressed tar. */
  diffId: string;
  compression: CompressionKind;
  blobBytes: number;
  tarBytes: number;
  /** Sum of regular-file sizes. */
  size: number;
  entries: FileEntry[];
  whiteouts: Whiteout[];
  metaFiles: Map<string, string>;
  /** gzip -6 size of the uncompressed tar, when asked for. */
  estimatedGzipBytes?: number;
  warnings: string[];
}

export interface ReadLayerOptions {
  /** Names the layer in messages ("layer 3 (blobs/sha256/ab12...)"). */
  name: string;
  budget: ReadBudget;
  estimateCompressed?: boolean;
  signal?: AbortSignal;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

export function sniffCompression(head: Uint8Array): CompressionKind {
  if (GZIP_MAGIC.every((b, i) => head[i] === b)) return "gzip";
  if (ZSTD_MAGIC.every((b, i) => head[i] === b)) return "zstd";
  return "none";
}

function entryType(h: Header): EntryType {
  switch (h.type) {
    case "file":
    case "contiguous-file":
      return "file";
    case "directory":
      return "dir";
    case "symlink":
      return "symlink";
    case "link":
      return "hardlink";
    default:
      return "other";
  }
}

/** Counts, hashes and guards the uncompressed tar stream on its way to the tar parser. */
class TarTap extends Transform {
  readonly hash = createHash("sha256");
  bytes = 0;
  private gzip: Gzip | undefined;
  estimated = 0;
  private estimateDone: Promise<void> | undefined;

  constructor(
    private readonly opts: ReadLayerOptions,
    private readonly rawBytes: () => number,
    private readonly compressed: boolean,
    estimate: boolean,
  ) {
    super();
    if (estimate) {
      const gz = createGzip({ level: 6 });
      this.gzip = gz;
      gz.on("data", (c: Buffer) => {
        this.estimated += c.length;
      });
      this.estimateDone = new Promise((resolve, reject) => {
        gz.on("end", resolve);
        gz.on("error", reject);
      });
    }
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    const budget = this.opts.budget;
    budget.uncompressedBytes += chunk.length;
    if (budget.uncompressedBytes > budget.limits.maxUncompressedBytes) {
      cb(
        new InputError(
          `${this.opts.name}: the image expands to more than ${budget.limits.maxUncompressedBytes} bytes uncompressed; reading stopped`,
          { hint: "raise limits.maxUncompressedBytes if this image is really that large" },
        ),
      );
      return;
    }
    if (this.compressed && this.bytes > budget.limits.bombMinBytes) {
      const ratio = this.bytes / Math.max(1, this.rawBytes());
      if (ratio > budget.limits.maxCompressionRatio) {
        cb(
          new InputError(
            `${this.opts.name}: expands more than ${budget.limits.maxCompressionRatio}:1 (${this.bytes} bytes from ${this.rawBytes()}): a decompression bomb; reading stopped`,
            {
              hint: "a real layer of large zero-filled files can compress this well: raise the limit (--max-ratio N, limits.maxCompressionRatio)",
            },
          ),
        );
        return;
      }
    }
    // For a plain tar the diff id is the blob digest, already hashed on the way in.
    if (this.compressed) this.hash.update(chunk);
    this.push(chunk);
    if (this.gzip && !this.gzip.write(chunk)) {
      this.gzip.once("drain", () => cb());
      return;
    }
    cb();
  }

  override _flush(cb: TransformCallback): void {
    if (!this.gzip || !this.estimateDone) {
      cb();
      return;
    }
    this.gzip.end();
    this.estimateDone.then(() => cb(), cb);
  }
}

/**
 * Reads one layer blob (tar, tar+gzip or tar+zstd, sniffed from its first
 * bytes) in one streaming pass. Memory holds per-entry metadata and the
 * capped contents of package-database files only.
 */
export async function readLayer(
  input: AsyncIterable<Buffer>,
  opts: ReadLayerOptions,
): Promise<LayerReadResult> {
  const rawHash = createHash("sha256");
  let rawBytes = 0;
  const it = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLen = 0;
  // Enough for the longest zstd frame header (18 bytes): its window decides the decoder.
  while (headLen < 18) {
    const r = await it.next();
    if (r.done) break;
    head.push(r.value);
    headLen += r.value.length;
  }
  const first = Buffer.concat(head);
  const compression = sniffCompression(first);
  // Chosen (or refused) before anything else starts: a refusal leaves nothing half-built.
  const zstd = compression === "zstd" ? createZstdDecompress(first, opts.name) : undefined;
  async function* raw(): AsyncGenerator<Buffer> {
    for (const c of head) {
      rawHash.update(c);
      rawBytes += c.length;
      yield c;
    }
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        rawHash.update(r.value);
        rawBytes += r.value.length;
        yield r.value;
      }
    } finally {
      await it.return?.();
    }
  }

  const tap = new TarTap(opts, () => rawBytes, compression !== "none", opts.estimateCompressed === true);
  const tarParser = extract();
  const collector = new LayerCollector(opts);

  const consume = (async () => {
    for await (const entry of tarParser) {
      if (opts.signal?.aborted) throw new InterruptedError();
      const h = entry.header;
      const want = collector.add({
        name: h.name,
        type: entryType(h),
        mode: h.mode ?? 0,
        uid: h.uid ?? 0,
        gid: h.gid ?? 0,
        size: h.size ?? 0,
        linkname: h.linkname ?? "",
      });
      if (want === null) {
        entry.resume();
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      collector.content(want, Buffer.concat(chunks));
    }
  })();

  const stages: Array<NodeJS.ReadableStream | NodeJS.WritableStream | NodeJS.ReadWriteStream> = [
    Readable.from(raw(), { objectMode: false }),
  ];
  if (compression === "gzip") stages.push(createGunzip());
  if (zstd) stages.push(zstd);
  stages.push(tap);
  const piped = pipeline(
    [...stages, tarParser] as unknown as [NodeJS.ReadableStream, NodeJS.WritableStream],
    {
      signal: opts.signal,
    },
  );
  try {
    await Promise.all([piped, consume]);
  } catch (e) {
    tarParser.destroy();
    piped.catch(() => undefined);
    consume.catch(() => undefined);
    if (opts.signal?.aborted) throw new InterruptedError();
    if (e instanceof InputError || e instanceof InterruptedError) throw e;
    throw new InputError(`${opts.name}: ${describeStreamError(e, compression)}`, { cause: e });
  }
  const collected = collector.finish();
  const result: LayerReadResult = {
    blobDigest: `sha256:${rawHash.digest("hex")}`,
    diffId: "",
    compression,
    blobBytes: rawBytes,
    tarBytes: tap.bytes,
    ...collected,
  };
  result.diffId = compression === "none" ? result.blobDigest : `sha256:${tap.hash.digest("hex")}`;
  if (opts.estimateCompressed) result.estimatedGzipBytes = tap.estimated;
  return result;
}

/** One tar header, as either reader decodes it. */
export interface RawTarEntry {
  name: string;
  type: EntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  linkname: string;
}

/**
 * Turns tar headers into the model's entries and whiteouts, and decides
 * which contents to keep (package databases, capped). Shared by the
 * streaming reader and the seeking one so both give identical layers.
 */
export class LayerCollector {
  readonly entries: FileEntry[] = [];
  readonly whiteouts: Whiteout[] = [];
  readonly metaFiles = new Map<string, string>();
  readonly warnings: string[] = [];
  size = 0;
  /** Targets of the layer's hardlinks, collected as they come (hardlinks are rare). */
  private hardlinkTargets: Set<string> | undefined;

  constructor(private readonly opts: ReadLayerOptions) {}

  /** Records a header; returns the path whose content the caller must pass to `content`, or null. */
  add(h: RawTarEntry): string | null {
    const opts = this.opts;
    const limits = opts.budget.limits;
    let path: string | null = h.name;
    if (!isCleanPath(path)) {
      const norm = normaliseEntryPath(path);
      if (norm.path === null || norm.problem) {
        this.warnings.push(
          `${opts.name}: ${norm.problem}: ${JSON.stringify(h.name)}${norm.path === null ? " (skipped)" : ""}`,
        );
      }
      path = norm.path;
      if (path === null) return null;
    }
    // Only a name starting ".wh." is a whiteout; the substring test spares a basename per entry.
    const name = path.includes(".wh.") ? basename(path) : "";
    if (name.startsWith(".wh.")) {
      if (name === ".wh..wh..opq") this.whiteouts.push({ path: dirname(path), opaque: true });
      else if (!name.startsWith(".wh..wh.")) {
        this.whiteouts.push({ path: joinPath(dirname(path), name.slice(4)), opaque: false });
      }
      return null;
    }
    if (++opts.budget.entries > limits.maxEntries) {
      throw new InputError(`${opts.name}: more than ${limits.maxEntries} file entries; reading stopped`);
    }
    const type = h.type;
    const fe: FileEntry = {
      path,
      type,
      mode: h.mode & 0o7777,
      uid: h.uid,
      gid: h.gid,
      size: type === "file" ? h.size : 0,
    };
    if (type === "symlink") fe.linkTarget = h.linkname;
    if (type === "hardlink") {
      const target = normaliseEntryPath(h.linkname);
      if (target.path === null) {
        this.warnings.push(`${opts.name}: hardlink ${path} points outside the image root (${h.linkname})`);
      } else {
        fe.linkTarget = target.path;
        this.hardlinkTargets ??= new Set();
        this.hardlinkTargets.add(target.path);
      }
    }
    this.entries.push(fe);
    if (type !== "file") return null;
    this.size += h.size;
    if (!isMetaFile(path)) return null;
    if (h.size > limits.maxMetaFileBytes || opts.budget.metaBytes + h.size > limits.maxJsonBytes * 16) {
      this.warnings.push(`${opts.name}: ${path} is ${h.size} bytes, over the metadata cap; not read`);
      return null;
    }
    return path;
  }

  content(path: string, data: Buffer): void {
    const text = shrinkMetaFile(path, data.toString("utf8"));
    this.opts.budget.metaBytes += text.length;
    this.metaFiles.set(path, text);
  }

  finish(): Pick<LayerReadResult, "entries" | "whiteouts" | "metaFiles" | "size" | "warnings"> {
    if (this.hardlinkTargets)
      checkHardlinks(this.entries, this.hardlinkTargets, this.opts.name, this.warnings);
    return {
      entries: this.entries,
      whiteouts: this.whiteouts,
      metaFiles: this.metaFiles,
      size: this.size,
      warnings: this.warnings,
    };
  }
}

function describeStreamError(e: unknown, compression: CompressionKind): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/unexpected end of file/i.test(msg)) return `truncated ${compression} stream (${msg})`;
  if (/incorrect header check|invalid/i.test(msg) && compression === "gzip")
    return `corrupt gzip stream (${msg})`;
  if (/unexpected end of data|Unexpected end/i.test(msg)) return `truncated layer tar (${msg})`;
  if (/invalid tar header|checksum/i.test(msg)) return `not a valid tar (${msg})`;
  return msg;
}

/** A hardlink whose target is not earlier in the same layer cannot be resolved by the engine either. */
function checkHardlinks(entries: FileEntry[], targets: Set<string>, name: string, warnings: string[]): void {
  const seen = new Set<string>();
  for (const e of entries) {
    if (e.type === "hardlink" && e.linkTarget !== undefined && !seen.has(e.linkTarget)) {
      warnings.push(`${name}: hardlink ${e.path} -> ${e.linkTarget}: target missing from the layer`);
    }
    if (targets.has(e.path)) seen.add(e.path);
  }
}
