/**
 * Writes fixture images for tests: layer tars (with whiteouts, opaque dirs,
 * hardlinks, symlinks; uncompressed, gzip or zstd), docker-archive tars
 * (legacy `docker save` layout and OCI-in-tar) and OCI layout directories.
 * Test-only code: everything is small and built in memory, except
 * `zeroFile` entries, which stream (for decompression-bomb fixtures).
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip, gzipSync } from "node:zlib";
import { pack } from "tar-stream";

export type FixtureFile =
  | {
      path: string;
      type?: "file";
      content?: string | Buffer;
      size?: number;
      mode?: number;
      uid?: number;
      gid?: number;
    }
  | { path: string; type: "dir"; mode?: number; uid?: number; gid?: number }
  | { path: string; type: "symlink"; target: string }
  | { path: string; type: "hardlink"; target: string }
  | { path: string; type: "whiteout" }
  | { path: string; type: "opaque" }
  /** A file of `size` zero bytes, streamed (never held in memory). */
  | { path: string; type: "zeros"; size: number };

export interface FixtureLayer {
  files: FixtureFile[];
  createdBy?: string;
  compression?: "none" | "gzip" | "zstd";
}

export interface FixtureImage {
  layers: FixtureLayer[];
  /** Metadata-only history entries, inserted before layer `before` (or at the end). */
  emptySteps?: Array<{ createdBy: string; before?: number }>;
  config?: {
    Env?: string[];
    Cmd?: string[];
    Entrypoint?: string[];
    User?: string;
    WorkingDir?: string;
    ExposedPorts?: Record<string, object>;
    Labels?: Record<string, string>;
  };
  repoTag?: string;
}

export interface BuiltLayer {
  /** The uncompressed tar. */
  tar: Buffer;
  /** As stored (compressed or not). */
  blob: Buffer;
  diffId: string;
  digest: string;
  mediaType: string;
}

/** Fixed timestamps keep fixture tars (and so their digests) identical from run to run. */
const EPOCH = new Date(0);

export const sha256 = (b: Buffer | string): string =>
  `sha256:${createHash("sha256").update(b).digest("hex")}`;

/** Deterministic, poorly compressible filler of `n` bytes (so sizes mean something). */
export function filler(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  let x = seed * 2654435761;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

function basenameOf(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}
function dirOf(p: string): string {
  const i = p.lastIndexOf("/");
  return i < 0 ? "" : p.slice(0, i + 1);
}

/** Builds a layer tar stream from fixture files, in order. */
export function layerTarStream(files: readonly FixtureFile[]): Readable {
  const p = pack();
  (async () => {
    for (const f of files) {
      const name = f.path;
      switch (f.type) {
        case "dir":
          p.entry({
            mtime: EPOCH,
            name,
            type: "directory",
            mode: f.mode ?? 0o755,
            uid: f.uid ?? 0,
            gid: f.gid ?? 0,
          });
          break;
        case "symlink":
          p.entry({ mtime: EPOCH, name, type: "symlink", linkname: f.target, mode: 0o777 });
          break;
        case "hardlink":
          p.entry({ mtime: EPOCH, name, type: "link", linkname: f.target, mode: 0o644 });
          break;
        case "whiteout":
          p.entry(
            { mtime: EPOCH, name: `${dirOf(name)}.wh.${basenameOf(name)}`, mode: 0o644 },
            Buffer.alloc(0),
          );
          break;
        case "opaque":
          p.entry(
            { mtime: EPOCH, name: `${name.replace(/\/$/, "")}/.wh..wh..opq`, mode: 0o644 },
            Buffer.alloc(0),
          );
          break;
        case "zeros": {
          await new Promise<void>((resolve, reject) => {
            const sink = p.entry({ mtime: EPOCH, name, size: f.size, mode: 0o644 }, (err) =>
              err ? reject(err) : resolve(),
            );
            const chunk = Buffer.alloc(Math.min(f.size, 1024 * 1024));
            let left = f.size;
            const write = () => {
              while (left > 0) {
                const n = Math.min(left, chunk.length);
                left -= n;
                if (!sink.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
                  sink.once("drain", write);
                  return;
                }
              }
              sink.end(undefined);
            };
            write();
          });
          break;
        }
        default: {
          const content =
            f.content !== undefined
              ? Buffer.isBuffer(f.content)
                ? f.content
                : Buffer.from(f.content)
              : filler(f.size ?? 0, name.length);
          p.entry({ mtime: EPOCH, name, mode: f.mode ?? 0o644, uid: f.uid ?? 0, gid: f.gid ?? 0 }, content);
        }
      }
    }
    p.finalize();
  })().catch((e: unknown) => p.destroy(e as Error));
  return p as unknown as Readable;
}

export async function layerTar(files: readonly FixtureFile[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of layerTarStream(files)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A zstd frame made of raw (stored) blocks. Node 20's zlib has no zstd
 * compressor and fzstd only decompresses; a stored-block frame is valid
 * zstd that every decoder must accept, which is what the tests need.
 */
export function zstdStored(data: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3])];
  const max = 64 * 1024;
  let off = 0;
  do {
    const n = Math.min(max, data.length - off);
    const last = off + n >= data.length ? 1 : 0;
    const h = last | (0 << 1) | (n << 3);
    parts.push(Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff]), data.subarray(off, off + n));
    off += n;
  } while (off < data.length);
  return Buffer.concat(parts);
}

export async function buildLayer(layer: FixtureLayer): Promise<BuiltLayer> {
  const tar = await layerTar(layer.files);
  const compression = layer.compression ?? "none";
  const blob =
    compression === "gzip" ? gzipSync(tar, { level: 6 }) : compression === "zstd" ? zstdStored(tar) : tar;
  const mediaType =
    compression === "gzip"
      ? "application/vnd.oci.image.layer.v1.tar+gzip"
      : compression === "zstd"
        ? "application/vnd.oci.image.layer.v1.tar+zstd"
        : "application/vnd.oci.image.layer.v1.tar";
  return { tar, blob, diffId: sha256(tar), digest: sha256(blob), mediaType };
}

/** A gzip'd layer holding one file of `size` zeros, streamed to `file`: a decompression bomb fixture. */
export async function writeZeroBombLayer(file: string, size: number): Promise<void> {
  await pipeline(
    layerTarStream([{ path: "bomb", type: "zeros", size }]),
    createGzip({ level: 9 }),
    createWriteStream(file),
  );
}

export function imageConfig(img: FixtureImage, layers: readonly BuiltLayer[]): Buffer {
  const history: Array<Record<string, unknown>> = [];
  img.layers.forEach((l, i) => {
    for (const e of img.emptySteps ?? []) {
      if (e.before === i) history.push({ created_by: e.createdBy, empty_layer: true });
    }
    history.push({ created_by: l.createdBy ?? `layer ${i}` });
  });
  for (const e of img.emptySteps ?? []) {
    if (e.before === undefined) history.push({ created_by: e.createdBy, empty_layer: true });
  }
  return Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      created: "2026-01-01T00:00:00Z",
      config: img.config ?? {},
      rootfs: { type: "layers", diff_ids: layers.map((l) => l.diffId) },
      history,
    }),
  );
}

/** One entry of an outer archive tar. */
export type ArchiveEntry = { name: string; data: Buffer } | { name: string; symlink: string };

export async function writeTar(file: string, entries: readonly ArchiveEntry[]): Promise<void> {
  const p = pack();
  const done = pipeline(p as unknown as Readable, createWriteStream(file));
  for (const e of entries) {
    if ("symlink" in e) p.entry({ mtime: EPOCH, name: e.name, type: "symlink", linkname: e.symlink });
    else p.entry({ mtime: EPOCH, name: e.name, mode: 0o644 }, e.data);
  }
  p.finalize();
  await done;
}

export interface ArchiveOptions {
  /** "podman": layers as top-level DIFFID.tar, each linked from ID/layer.tar (Podman's /images/get). */
  format?: "legacy" | "oci" | "podman";
  /** Leave layer i out of the tar (its manifest entry stays). */
  omitLayers?: number[];
  /** Replace the config's diff id of layer i with a wrong one. */
  lieAboutDiffId?: number;
  /** Entries appended as they are (e.g. hostile names). */
  extraEntries?: ArchiveEntry[];
  /** Put manifest.json first (docker puts it last; readers must not care). */
  manifestFirst?: boolean;
  /** Store layer i twice and make the second a symlink to the first (docker save does this for identical layers). */
  duplicateAsSymlink?: boolean;
}

/** Writes a `docker save`-style archive: legacy (`<id>/layer.tar`) or OCI-in-tar (blobs/sha256). */
export async function writeDockerArchive(
  file: string,
  img: FixtureImage,
  opts: ArchiveOptions = {},
): Promise<BuiltLayer[]> {
  const built = await Promise.all(img.layers.map(buildLayer));
  const config = JSON.parse(imageConfig(img, built).toString()) as { rootfs: { diff_ids: string[] } };
  if (opts.lieAboutDiffId !== undefined) config.rootfs.diff_ids[opts.lieAboutDiffId] = sha256("a lie");
  const configBytes = Buffer.from(JSON.stringify(config));
  const configHex = sha256(configBytes).slice(7);
  const entries: ArchiveEntry[] = [];
  const layerNames: string[] = [];
  const format = opts.format ?? "legacy";
  built.forEach((l, i) => {
    if (format === "podman") {
      const name = `${l.diffId.slice(7)}.tar`;
      layerNames.push(name);
      entries.push({ name, data: l.blob });
      entries.push({ name: `${l.digest.slice(7, 70)}${i}/layer.tar`, symlink: `../${name}` });
      return;
    }
    const name =
      format === "legacy" ? `${l.digest.slice(7, 71)}${i}/layer.tar` : `blobs/sha256/${l.digest.slice(7)}`;
    layerNames.push(name);
    if (opts.omitLayers?.includes(i)) return;
    if (format === "oci" && entries.some((e) => e.name === name)) return;
    entries.push({ name, data: l.blob });
  });
  const configName = format === "legacy" ? `${configHex}.json` : `blobs/sha256/${configHex}`;
  entries.push({ name: configName, data: configBytes });
  const manifest = Buffer.from(
    JSON.stringify([{ Config: configName, RepoTags: img.repoTag ? [img.repoTag] : [], Layers: layerNames }]),
  );
  if (format === "oci") {
    const ociManifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: {
          mediaType: "application/vnd.oci.image.config.v1+json",
          digest: sha256(configBytes),
          size: configBytes.length,
        },
        layers: built.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.blob.length })),
      }),
    );
    entries.push({ name: `blobs/sha256/${sha256(ociManifest).slice(7)}`, data: ociManifest });
    const annotations: Record<string, string> = {};
    if (img.repoTag) {
      annotations["io.containerd.image.name"] = img.repoTag;
      annotations["org.opencontainers.image.ref.name"] = img.repoTag.split(":").pop() ?? "";
    }
    entries.push({
      name: "index.json",
      data: Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          manifests: [
            {
              mediaType: "application/vnd.oci.image.manifest.v1+json",
              digest: sha256(ociManifest),
              size: ociManifest.length,
              annotations,
            },
          ],
        }),
      ),
    });
    entries.push({ name: "oci-layout", data: Buffer.from('{"imageLayoutVersion":"1.0.0"}') });
  }
  if (opts.duplicateAsSymlink && format === "legacy" && layerNames.length > 0) {
    const dup = `${"d".repeat(64)}/layer.tar`;
    entries.push({ name: dup, symlink: `../${layerNames[0]}` });
    const m = JSON.parse(manifest.toString()) as Array<{ Layers: string[] }>;
    m[0]!.Layers[0] = dup;
    entries.push(...(opts.extraEntries ?? []));
    const mf = { name: "manifest.json", data: Buffer.from(JSON.stringify(m)) };
    await writeTar(file, opts.manifestFirst ? [mf, ...entries] : [...entries, mf]);
    return built;
  }
  entries.push(...(opts.extraEntries ?? []));
  const mf = { name: "manifest.json", data: manifest };
  await writeTar(file, opts.manifestFirst ? [mf, ...entries] : [...entries, mf]);
  return built;
}

export interface LayoutOptions {
  /** The ref name annotation of the image in index.json. */
  tag?: string;
  /** Also write another image under this tag (to test selection). */
  otherTag?: string;
  /** Corrupt the blob of layer i after writing (its digest then lies). */
  corruptLayer?: number;
  omitLayers?: number[];
}

/** Writes an OCI image layout directory (oci-layout, index.json, blobs/sha256/*). */
export async function writeOciLayout(
  dir: string,
  img: FixtureImage,
  opts: LayoutOptions = {},
): Promise<BuiltLayer[]> {
  const built = await Promise.all(img.layers.map(buildLayer));
  const blobs = join(dir, "blobs", "sha256");
  await mkdir(blobs, { recursive: true });
  const put = async (b: Buffer) => {
    await writeFile(join(blobs, sha256(b).slice(7)), b);
    return sha256(b);
  };
  const manifests: unknown[] = [];
  const addImage = async (tag: string | undefined, layers: BuiltLayer[], fixture: FixtureImage) => {
    const configBytes = imageConfig(fixture, layers);
    await put(configBytes);
    for (const [i, l] of layers.entries()) {
      if (opts.omitLayers?.includes(i)) continue;
      const digest = await put(l.blob);
      if (opts.corruptLayer === i) {
        const broken = Buffer.from(l.blob);
        // Inside the first file's content for plain and stored-zstd tars: the tar stays valid, only the digest lies.
        const at = Math.min(600, broken.length - 1);
        broken[at] = (broken[at] ?? 0) ^ 0xff;
        await writeFile(join(blobs, digest.slice(7)), broken);
      }
    }
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: {
          mediaType: "application/vnd.oci.image.config.v1+json",
          digest: sha256(configBytes),
          size: configBytes.length,
        },
        layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.blob.length })),
      }),
    );
    const md = await put(manifest);
    manifests.push({
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      digest: md,
      size: manifest.length,
      ...(tag ? { annotations: { "org.opencontainers.image.ref.name": tag } } : {}),
      platform: { os: "linux", architecture: "amd64" },
    });
  };
  await addImage(opts.tag, built, img);
  if (opts.otherTag) {
    const other: FixtureImage = { layers: [{ files: [{ path: "other.txt", content: "other" }] }] };
    await addImage(opts.otherTag, await Promise.all(other.layers.map(buildLayer)), other);
  }
  await writeFile(join(dir, "oci-layout"), '{"imageLayoutVersion":"1.0.0"}');
  await writeFile(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests }));
  return built;
}

/** Wraps a buffer as a readable stream (for feeding readers in tests). */
export function streamOf(b: Buffer): Readable {
  return Readable.from([b]);
}
