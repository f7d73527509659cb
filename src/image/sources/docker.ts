import { readImageArchive } from "../archive/archive-reader.js";
import type { Image, OpenImageOptions } from "../model.js";
import type { ImageReference } from "../reference.js";
import type { ImageSource } from "./source.js";

/** `docker://IMAGE`: the engine's export stream (`docker save`), read as it arrives. */
export const dockerSource: ImageSource = {
  scheme: "docker",
  async open(ref: ImageReference, opts: OpenImageOptions): Promise<Image> {
    // Loaded here: the engine client is heavy, and files and layouts do not need it.
    const { exportImage } = await import("../../engine/images.js");
    const stream = await exportImage(ref.target, opts.signal ? { signal: opts.signal } : {});
    return readImageArchive(
      stream,
      { ref: ref.raw, scheme: "docker", where: `docker://${ref.target}` },
      opts,
    );
  },
};
