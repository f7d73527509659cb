import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { extract } from "tar-stream";
import { InputError, InterruptedError } from "../../errors.js";
import type { Image, Layer, OpenImageOptions, SourceScheme } from "../model.js";
import { assembleImage, parseImageConfig, parseJson, toLayer } from "./image-config.js";
import { type LayerReadResult, readLayer } from "./layer-reader.js";
import { ReadBudget, resolveLimits } from "./limits.js";
import { type Descriptor, resolveOciIndex, verifyBlob } from "./oci-index.js";
import { dirname, joinPath, normaliseEntryPath } from "./paths.js";

/** Names of the small JSON documents of a docker-archive / OCI-in-tar that are kept in memory. */
export function isDocumentName(path: string): boolean {
  return (
    path === "manifest.json" ||
    path === "index.json" ||
    path === "oci-layout" ||
    path === "repositories" ||
    (!path.includes("/") && path.endsWith(".json"))
  );
}

export function isLayerName(path: string): boolean {
  return (
    path.endsWith("/layer.tar") ||
    path === "layer.tar" ||
    path.startsWith("blobs/") ||
    // Podman's export: layers as top-level DIFFID.tar, linked from ID/layer.tar.
    (!path.includes("/") && path.endsWith(".tar"))
  );
}

async function collect(
  it: AsyncIterator<Buffer>,
  head: Buffer[],
  limit: number,
  what: string,
): Promise<Buffer> {
  const chunks = [...head];
  let n = head.reduce((a, b) => a + b.length, 0);
  for (;;) {
    const r = await it.next();
    if (r.done) break;
    n += r.value.length;
    if (n > limit) throw new InputError(`${what} is larger than ${limit} bytes: not an image document`);
    chunks.push(r.value);
  }
  return Buffer.concat(chunks);
}

export interface ArchiveContext {
  ref: string;
  scheme: SourceScheme;
  /** Names the archive in messages ("image.tar", "the engine's export of python:3.11"). */
  where: string;
  /** For archives holding several images: which one (a RepoTag, or an OCI ref name). */
  tag?: string;
}

/** What both archive readers (streaming and seeking) collect before assembling the Image. */
export function newArchiveState(opts: OpenImageOptions) {
  const limits = resolveLimits(opts.limits);
  return {
    limits,
    budget: new ReadBudget(limits),
    warnings: [] as string[],
    /** Small JSON documents (manifest, index, configs) by path. */
    docs: new Map<string, Buffer>(),
    /** Layer tars read, by path. */
    layers: new Map<string, LayerReadResult>(),
    /** Symlinked entries (legacy layouts link layer.tar files) to their targets. */
    aliases: new Map<string, string>(),
  };
}

/**
 * The one archive reader: a `docker save` stream (legacy layout or OCI-in-tar)
 * read in a single pass. Layer tars are parsed as they stream past, whatever
 * order the archive has; manifest and config (often last) are applied at the end.
 */
export async function readImageArchive(
  input: Readable,
  ctx: ArchiveContext,
  opts: OpenImageOptions = {},
): Promise<Image> {
  const { limits, budget, warnings, docs, layers, aliases } = newArchiveState(opts);
  const outer = extract();
  const piped = pipeline(input, outer, { signal: opts.signal });

  const consume = async () => {
    for await (const entry of outer) {
      if (opts.signal?.aborted) throw new InterruptedError();
      const h = entry.header;
      const norm = normaliseEntryPath(h.name);
      if (norm.path === null) {
        warnings.push(`${ctx.where}: skipped archive entry ${JSON.stringify(h.name)}: ${norm.problem}`);
        entry.resume();
        continue;
      }
      const path = norm.path;
      if (h.type === "symlink" || h.type === "link") {
        // docker save links a layer.tar to an identical one instead of storing it twice.
        const target =
          h.type === "symlink"
            ? normaliseEntryPath(joinPath(dirname(path), h.linkname ?? ""))
            : normaliseEntryPath(h.linkname ?? "");
        if (target.path !== null) aliases.set(path, target.path);
        entry.resume();
        continue;
      }
      if (h.type !== "file" && h.type !== "contiguous-file") {
        entry.resume();
        continue;
      }
      if (isDocumentName(path)) {
        const it = entry[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
        docs.set(path, await collect(it, [], limits.maxJsonBytes, `${ctx.where}: ${path}`));
        continue;
      }
      if (!isLayerName(path)) {
        entry.resume();
        continue;
      }
      const it = entry[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      const head: Buffer[] = [];
      const first = await it.next();
      if (!first.done) head.push(first.value);
      // OCI blobs hold manifests and configs too: JSON starts with "{", a tar never does in practice.
      if (path.startsWith("blobs/") && h.size <= limits.maxJsonBytes && head[0]?.[0] === 0x7b) {
        docs.set(path, await collect(it, head, limits.maxJsonBytes, `${ctx.where}: ${path}`));
        continue;
      }
      async function* replay(): AsyncGenerator<Buffer> {
        yield* head;
        for (;;) {
          const r = await it.next();
          if (r.done) return;
          yield r.value;
        }
      }
      const read = await readLayer(replay(), {
        name: `${ctx.where}: ${path}`,
        budget,
        estimateCompressed: opts.estimateCompressed === true,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      warnings.push(...read.warnings);
      layers.set(path, read);
    }
  };
  const consumed = consume();
  try {
    await Promise.all([piped, consumed]);
  } catch (e) {
    outer.destroy();
    input.destroy();
    piped.catch(() => undefined);
    consumed.catch(() => undefined);
    if (opts.signal?.aborted) throw new InterruptedError();
    if (e instanceof InputError || e instanceof InterruptedError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    throw new InputError(`${ctx.where}: not a readable image archive (${msg})`, { cause: e });
  }

  return assembleArchive(ctx, docs, layers, aliases, warnings);
}

/** Resolves manifest.json (or index.json) of an archive read either way into the Image. */
export async function assembleArchive(
  ctx: ArchiveContext,
  docs: Map<string, Buffer>,
  layers: Map<string, LayerReadResult>,
  aliases: Map<string, string>,
  warnings: string[],
): Promise<Image> {
  const resolve = (p: string): string => {
    let cur = normaliseEntryPath(p).path ?? p;
    for (let i = 0; i < 8; i++) {
      const next = aliases.get(cur);
      if (next === undefined) break;
      cur = next;
    }
    return cur;
  };
  if (docs.has("manifest.json")) return fromDockerManifest(ctx, docs, layers, resolve, warnings);
  if (docs.has("index.json")) return fromOciIndex(ctx, docs, layers, warnings);
  throw new InputError(`${ctx.where}: not a docker-archive (no manifest.json or index.json in the tar)`, {
    hint: "make one with `docker save IMAGE -o FILE.tar`",
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function fromDockerManifest(
  ctx: ArchiveContext,
  docs: Map<string, Buffer>,
  layerReads: Map<string, LayerReadResult>,
  resolve: (p: string) => string,
  warnings: string[],
): Image {
  const manifestDoc = docs.get("manifest.json");
  if (manifestDoc === undefined) throw new Error("internal: fromDockerManifest without a manifest.json");
  const manifest = parseJson(manifestDoc.toString("utf8"), `${ctx.where}: manifest.json`);
  if (!Array.isArray(manifest) || manifest.length === 0) {
    throw new InputError(`${ctx.where}: manifest.json lists no images`);
  }
  const entries = manifest.filter(isRecord);
  let entry = entries[0];
  if (ctx.tag !== undefined) {
    const tag = ctx.tag;
    entry = entries.find(
      (m) => Array.isArray(m.RepoTags) && m.RepoTags.some((t) => t === tag || t.endsWith(`:${tag}`)),
    );
    if (!entry) throw new InputError(`${ctx.where}: no image tagged ${JSON.stringify(tag)} in manifest.json`);
  } else if (entries.length > 1) {
    warnings.push(`${ctx.where} holds ${entries.length} images; reading the first`);
  }
  if (!entry || typeof entry.Config !== "string" || !Array.isArray(entry.Layers)) {
    throw new InputError(`${ctx.where}: manifest.json entry has no Config or Layers`);
  }
  const configPath = resolve(entry.Config);
  const configBytes = docs.get(configPath);
  if (!configBytes) {
    throw new InputError(
      `${ctx.where}: the config ${entry.Config} named in manifest.json is missing from the archive`,
    );
  }
  const blobName = /^blobs\/sha256\/([0-9a-f]{64})$/;
  const cm = blobName.exec(configPath);
  if (cm) verifyBlob(configBytes, `sha256:${cm[1]}`, `${ctx.where}: ${configPath}`);
  const parsed = parseImageConfig(configBytes, `${ctx.where}: ${entry.Config}`);
  const layers: Layer[] = [];
  entry.Layers.forEach((name: unknown, i: number) => {
    if (typeof name !== "string")
      throw new InputError(`${ctx.where}: manifest.json Layers[${i}] is not a path`);
    const path = resolve(name);
    const read = layerReads.get(path);
    if (!read) {
      throw new InputError(
        `${ctx.where}: layer ${i} (${name}) is listed in manifest.json but missing from the archive`,
      );
    }
    const m = blobName.exec(path);
    if (m && read.blobDigest !== "" && read.blobDigest !== `sha256:${m[1]}`) {
      throw new InputError(
        `${ctx.where}: layer ${i} (${name}) has the wrong content: its sha256 is ${read.blobDigest}`,
        { hint: "the archive is corrupt or was tampered with" },
      );
    }
    layers.push(toLayer(i, read, parsed.diffIds[i], name, {}));
  });
  const repoTags = Array.isArray(entry.RepoTags)
    ? entry.RepoTags.filter((t): t is string => typeof t === "string")
    : [];
  return assembleImage(ctx.ref, ctx.scheme, parsed, layers, repoTags, warnings);
}

async function fromOciIndex(
  ctx: ArchiveContext,
  docs: Map<string, Buffer>,
  layerReads: Map<string, LayerReadResult>,
  warnings: string[],
): Promise<Image> {
  const blobPath = (d: Descriptor) => `blobs/${d.digest.replace(":", "/")}`;
  const readBlob = async (d: Descriptor) => {
    const b = docs.get(blobPath(d));
    if (!b) throw new InputError(`${ctx.where}: blob ${d.digest} is missing from the archive`);
    return b;
  };
  const indexDoc = docs.get("index.json");
  if (indexDoc === undefined) throw new Error("internal: fromOciIndex without an index.json");
  const resolved = await resolveOciIndex(indexDoc, readBlob, ctx.tag, ctx.where);
  const configBytes = await readBlob(resolved.config);
  verifyBlob(configBytes, resolved.config.digest, ctx.where);
  const parsed = parseImageConfig(configBytes, `${ctx.where}: config ${resolved.config.digest}`);
  const layers = resolved.layers.map((d, i) => {
    const read = layerReads.get(blobPath(d));
    if (!read) throw new InputError(`${ctx.where}: layer ${i} (${d.digest}) is missing from the archive`);
    if (read.blobDigest !== "" && read.blobDigest !== d.digest) {
      throw new InputError(
        `${ctx.where}: layer ${i} has the wrong content: manifest says ${d.digest}, sha256 is ${read.blobDigest}`,
      );
    }
    return toLayer(i, read, parsed.diffIds[i], d.digest, { mediaType: d.mediaType });
  });
  return assembleImage(ctx.ref, ctx.scheme, parsed, layers, resolved.repoTags, warnings);
}
