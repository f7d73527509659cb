import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../../errors.js";
import { assembleImage, parseImageConfig, toLayer } from "../archive/image-config.js";
import { readLayer } from "../archive/layer-reader.js";
import { readPlainLayerAt } from "../archive/layer-seek.js";
import { ReadBudget, resolveLimits } from "../archive/limits.js";
import { type Descriptor, resolveOciIndex, verifyBlob } from "../archive/oci-index.js";
import { RandomAccessFile } from "../archive/tar-seek.js";
import type { Image, Layer, OpenImageOptions } from "../model.js";
import type { ImageReference } from "../reference.js";
import type { ImageSource } from "./source.js";

function blobFile(dir: string, d: Descriptor): string {
  const [alg, hex] = d.digest.split(":");
  return join(dir, "blobs", alg ?? "", hex ?? "");
}

/** `oci-layout://DIR[:TAG]`: an OCI image layout directory (skopeo, buildx `--output type=oci`). */
export const ociLayoutSource: ImageSource = {
  scheme: "oci-layout",
  async open(ref: ImageReference, opts: OpenImageOptions): Promise<Image> {
    const dir = ref.target;
    const limits = resolveLimits(opts.limits);
    const st = await stat(dir).catch(() => null);
    if (!st?.isDirectory()) throw new InputError(`oci-layout: ${dir} is not a directory`);
    const marker = await readFile(join(dir, "oci-layout"), "utf8").catch(() => null);
    if (marker === null) {
      throw new InputError(`oci-layout: ${dir} has no oci-layout file: not an OCI image layout`);
    }
    const readSmall = async (d: Descriptor): Promise<Buffer> => {
      const file = blobFile(dir, d);
      const s = await stat(file).catch(() => null);
      if (!s) throw new InputError(`oci-layout: blob ${d.digest} is missing (${file})`);
      if (s.size > limits.maxJsonBytes)
        throw new InputError(`oci-layout: blob ${d.digest} is too large for a manifest`);
      return readFile(file);
    };
    const indexBytes = await readFile(join(dir, "index.json")).catch(() => null);
    if (!indexBytes) throw new InputError(`oci-layout: ${dir} has no index.json`);
    if (indexBytes.length > limits.maxJsonBytes)
      throw new InputError(`oci-layout: ${dir}/index.json is too large`);
    const resolved = await resolveOciIndex(indexBytes, readSmall, ref.tag, `oci-layout ${dir}`);
    const configBytes = await readSmall(resolved.config);
    verifyBlob(configBytes, resolved.config.digest, `oci-layout ${dir}`);
    const parsed = parseImageConfig(configBytes, `oci-layout ${dir}: config ${resolved.config.digest}`);
    const budget = new ReadBudget(limits);
    const warnings: string[] = [];
    const layers: Layer[] = [];
    for (const [i, d] of resolved.layers.entries()) {
      const file = blobFile(dir, d);
      const s = await stat(file).catch(() => null);
      if (!s)
        throw new InputError(`oci-layout: layer ${i} (${d.digest}) is listed in the manifest but missing`);
      if (d.size >= 0 && s.size !== d.size) {
        throw new InputError(
          `oci-layout: layer ${i} (${d.digest}) is ${s.size} bytes, the manifest says ${d.size}`,
        );
      }
      const layerOpts = {
        name: `oci-layout ${dir}: layer ${i}`,
        budget,
        estimateCompressed: opts.estimateCompressed === true,
        ...(opts.signal ? { signal: opts.signal } : {}),
      };
      // Plain tars are read by seeking over contents; compressed blobs are streamed.
      const raf = new RandomAccessFile(file);
      let read: Awaited<ReturnType<typeof readLayer>> | null;
      try {
        read = await readPlainLayerAt(raf, 0, raf.size, {
          ...layerOpts,
          verify: opts.verifyDigests !== false,
        });
      } finally {
        raf.close();
      }
      read ??= await readLayer(createReadStream(file, { highWaterMark: 1024 * 1024 }), layerOpts);
      if (read.blobDigest !== "" && read.blobDigest !== d.digest) {
        throw new InputError(
          `oci-layout: layer ${i} has the wrong content: the manifest says ${d.digest}, its sha256 is ${read.blobDigest}`,
          { hint: "the layout is corrupt or was tampered with" },
        );
      }
      warnings.push(...read.warnings);
      layers.push(
        toLayer(i, read, parsed.diffIds[i], d.digest, {
          blobDigest: d.digest,
          mediaType: d.mediaType,
          compressedBytes: read.compression === "none" ? null : s.size,
        }),
      );
    }
    return assembleImage(ref.raw, "oci-layout", parsed, layers, resolved.repoTags, warnings);
  },
};
