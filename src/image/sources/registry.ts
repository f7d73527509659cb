import { InputError } from "../../errors.js";
import { assembleImage, parseImageConfig, toLayer } from "../archive/image-config.js";
import { readLayer } from "../archive/layer-reader.js";
import { ReadBudget, resolveLimits } from "../archive/limits.js";
import { type Descriptor, resolveOciIndex, verifyBlob } from "../archive/oci-index.js";
import type { Image, Layer, OpenImageOptions } from "../model.js";
import type { ImageReference } from "../reference.js";
import { parseRegistryReference, RegistryClient } from "./registry-client.js";
import type { ImageSource } from "./source.js";

/**
 * `registry://HOST[:PORT]/NAME[:TAG|@DIGEST]`: read straight from a registry
 * over the distribution API, without an engine. The manifest (or index, down
 * to this machine's platform), the config and each layer blob are checked
 * against their digests and sizes before anything is returned.
 */
export const registrySource: ImageSource = {
  scheme: "registry",
  async open(ref: ImageReference, opts: OpenImageOptions): Promise<Image> {
    const r = parseRegistryReference(ref.target);
    const limits = resolveLimits(opts.limits);
    const client = new RegistryClient(r, opts.signal);
    const where = client.where;
    const top = await client.manifest(r.reference, limits.maxJsonBytes);
    // The top document as a one-entry index, so that the layout's resolver follows it (and nested indexes).
    const index = Buffer.from(
      JSON.stringify({ manifests: [{ digest: top.digest, size: top.bytes.length }] }),
    );
    const readManifest = async (d: Descriptor): Promise<Buffer> => {
      if (d.digest === top.digest) return top.bytes;
      const m = await client.manifest(d.digest, limits.maxJsonBytes);
      if (d.size >= 0 && m.bytes.length !== d.size) {
        throw new InputError(
          `${where}: manifest ${d.digest} is ${m.bytes.length} bytes, the index says ${d.size}`,
        );
      }
      return m.bytes;
    };
    const resolved = await resolveOciIndex(index, readManifest, undefined, where);
    const configBytes = await client.smallBlob(
      resolved.config.digest,
      resolved.config.size,
      limits.maxJsonBytes,
      `config ${resolved.config.digest}`,
    );
    verifyBlob(configBytes, resolved.config.digest, where);
    const parsed = parseImageConfig(configBytes, `${where}: config ${resolved.config.digest}`);
    const budget = new ReadBudget(limits);
    const warnings: string[] = [];
    const layers: Layer[] = [];
    for (const [i, d] of resolved.layers.entries()) {
      const what = `layer ${i} (${d.digest})`;
      // Every layer is hashed as it streams: a registry's blob can only be trusted by its digest.
      const read = await readLayer(await client.blobStream(d.digest, d.size, what), {
        name: `${where}: ${what}`,
        budget,
        estimateCompressed: opts.estimateCompressed === true,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      if (read.blobDigest !== d.digest) {
        throw new InputError(
          `${where}: layer ${i} has the wrong content: the manifest says ${d.digest}, its sha256 is ${read.blobDigest}`,
          { hint: "the registry (or something between) served other bytes than the manifest names" },
        );
      }
      warnings.push(...read.warnings);
      layers.push(
        toLayer(i, read, parsed.diffIds[i], `${where}: ${what}`, {
          blobDigest: d.digest,
          mediaType: d.mediaType,
          compressedBytes: read.compression === "none" ? null : read.blobBytes,
        }),
      );
    }
    const repoTags = r.reference.startsWith("sha256:") ? [] : [`${r.host}/${r.name}:${r.reference}`];
    return assembleImage(ref.raw, "registry", parsed, layers, repoTags, warnings);
  },
};
