import { createHash } from "node:crypto";
import { InputError } from "../../errors.js";
import { parseJson } from "./image-config.js";

/** An OCI content descriptor, the fields slimstage reads. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations: Record<string, string>;
  platform?: { os?: string; architecture?: string; variant?: string };
}

export interface ResolvedManifest {
  config: Descriptor;
  layers: Descriptor[];
  repoTags: string[];
}

const INDEX_TYPES = new Set([
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
]);

const REF_NAME = "org.opencontainers.image.ref.name";
const CONTAINERD_NAME = "io.containerd.image.name";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parseDescriptor(v: unknown, where: string): Descriptor {
  if (!isRecord(v) || typeof v.digest !== "string") {
    throw new InputError(`${where}: a descriptor without a digest`);
  }
  if (!/^sha256:[0-9a-f]{64}$/.test(v.digest)) {
    throw new InputError(`${where}: unsupported or malformed digest ${JSON.stringify(v.digest)}`);
  }
  const annotations: Record<string, string> = {};
  if (isRecord(v.annotations)) {
    for (const [k, val] of Object.entries(v.annotations)) if (typeof val === "string") annotations[k] = val;
  }
  const d: Descriptor = {
    mediaType: typeof v.mediaType === "string" ? v.mediaType : "",
    digest: v.digest,
    size: typeof v.size === "number" ? v.size : -1,
    annotations,
  };
  if (isRecord(v.platform)) {
    const p = v.platform;
    d.platform = {};
    if (typeof p.os === "string") d.platform.os = p.os;
    if (typeof p.architecture === "string") d.platform.architecture = p.architecture;
    if (typeof p.variant === "string") d.platform.variant = p.variant;
  }
  return d;
}

/** Checks that a blob's bytes hash to the digest that names it. */
export function verifyBlob(bytes: Buffer, digest: string, where: string): void {
  const actual = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  if (actual !== digest) {
    throw new InputError(`${where}: blob ${digest} has the wrong content (sha256 is ${actual})`, {
      hint: "the layout or archive is corrupt or was tampered with",
    });
  }
}

function tagsOf(d: Descriptor): string[] {
  const out: string[] = [];
  if (d.annotations[CONTAINERD_NAME]) out.push(d.annotations[CONTAINERD_NAME]);
  else if (d.annotations[REF_NAME]) out.push(d.annotations[REF_NAME]);
  return out;
}

function matchesTag(d: Descriptor, tag: string): boolean {
  const ref = d.annotations[REF_NAME];
  const name = d.annotations[CONTAINERD_NAME];
  return ref === tag || name === tag || (name?.endsWith(`:${tag}`) ?? false);
}

/** Picks the manifest for this machine's platform from an index (attestations are "unknown/unknown"). */
function pickPlatform(ds: Descriptor[], where: string): Descriptor {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const real = ds.filter((d) => d.platform?.os !== "unknown");
  const pick =
    real.find((d) => d.platform?.os === "linux" && d.platform.architecture === arch) ??
    (real.length === 1 ? real[0] : undefined);
  if (!pick) {
    const have = ds.map((d) => `${d.platform?.os ?? "?"}/${d.platform?.architecture ?? "?"}`).join(", ");
    throw new InputError(`${where}: no manifest for linux/${arch} (has ${have})`);
  }
  return pick;
}

/**
 * Follows an OCI index (index.json of a layout, or of an OCI-in-tar archive)
 * to one image manifest: by tag when one is given, else the only image.
 */
export async function resolveOciIndex(
  indexBytes: Buffer,
  readBlob: (d: Descriptor) => Promise<Buffer>,
  tag: string | undefined,
  where: string,
): Promise<ResolvedManifest> {
  const index = parseJson(indexBytes.toString("utf8"), `${where}/index.json`);
  if (!isRecord(index) || !Array.isArray(index.manifests)) {
    throw new InputError(`${where}/index.json has no "manifests" list`);
  }
  const all = index.manifests.map((m, i) => parseDescriptor(m, `${where}/index.json manifests[${i}]`));
  let chosen: Descriptor | undefined;
  if (tag !== undefined) {
    chosen = all.find((d) => matchesTag(d, tag));
    if (!chosen) {
      const tags = all.flatMap(tagsOf);
      throw new InputError(`${where}: no image tagged ${JSON.stringify(tag)}`, {
        hint: tags.length ? `tags in the layout: ${tags.join(", ")}` : "the layout has no tagged images",
      });
    }
  } else if (all.length === 1) {
    chosen = all[0];
  } else if (all.length === 0) {
    throw new InputError(`${where}/index.json lists no images`);
  } else {
    const tagged = all.filter((d) => tagsOf(d).length > 0);
    if (tagged.length === 1) chosen = tagged[0];
    else
      throw new InputError(`${where} holds ${all.length} images: name one with :TAG`, {
        hint: `tags: ${all.flatMap(tagsOf).join(", ") || "(none)"}`,
      });
  }
  if (chosen === undefined) throw new Error("internal: no manifest chosen from the index");
  let desc = chosen;
  const repoTags = tagsOf(desc);
  // Nested indexes (multi-platform images): follow them down to one manifest.
  for (let depth = 0; depth < 4; depth++) {
    const bytes = await readBlob(desc);
    verifyBlob(bytes, desc.digest, where);
    const doc = parseJson(bytes.toString("utf8"), `${where} manifest ${desc.digest}`);
    if (!isRecord(doc)) throw new InputError(`${where}: manifest ${desc.digest} is not a JSON object`);
    const mt = typeof doc.mediaType === "string" ? doc.mediaType : desc.mediaType;
    if (INDEX_TYPES.has(mt) || (Array.isArray(doc.manifests) && !Array.isArray(doc.layers))) {
      const list = Array.isArray(doc.manifests) ? doc.manifests : [];
      desc = pickPlatform(
        list.map((m, i) => parseDescriptor(m, `${where} index ${desc.digest} [${i}]`)),
        where,
      );
      continue;
    }
    if (!Array.isArray(doc.layers)) throw new InputError(`${where}: manifest ${desc.digest} has no layers`);
    return {
      config: parseDescriptor(doc.config, `${where} manifest ${desc.digest} config`),
      layers: doc.layers.map((l, i) => parseDescriptor(l, `${where} manifest ${desc.digest} layers[${i}]`)),
      repoTags,
    };
  }
  throw new InputError(`${where}: indexes nested too deep`);
}
