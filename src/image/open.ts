import { InterruptedError } from "../errors.js";
import type { Image, OpenImageOptions, SourceScheme } from "./model.js";
import { parseImageSource } from "./reference.js";
import { dockerSource } from "./sources/docker.js";
import { dockerArchiveSource } from "./sources/docker-archive.js";
import { ociLayoutSource } from "./sources/oci-layout.js";
import { registrySource } from "./sources/registry.js";
import type { ImageSource } from "./sources/source.js";

const SOURCES: Record<SourceScheme, ImageSource> = {
  docker: dockerSource,
  "docker-archive": dockerArchiveSource,
  "oci-layout": ociLayoutSource,
  registry: registrySource,
};

/**
 * Opens an image by reference and reads it, streamed, into the model:
 * `docker://IMAGE` (default), `docker-archive://FILE.tar`, `oci-layout://DIR[:TAG]`,
 * `registry://HOST[:PORT]/NAME[:TAG]` (the distribution API, no engine).
 * Throws InputError for bad references or archives, EngineError when the
 * engine is needed and absent, InterruptedError when `signal` fires.
 */
export async function openImage(ref: string, opts: OpenImageOptions = {}): Promise<Image> {
  if (opts.signal?.aborted) throw new InterruptedError();
  const parsed = parseImageSource(ref);
  return SOURCES[parsed.scheme].open(parsed, opts);
}
