import { stat } from "node:fs/promises";
import { InputError } from "../../errors.js";
import { readImageArchiveFile } from "../archive/archive-seek.js";
import type { Image, OpenImageOptions } from "../model.js";
import type { ImageReference } from "../reference.js";
import type { ImageSource } from "./source.js";

/** `docker-archive://FILE.tar`: the output of `docker save` (legacy or OCI-in-tar). */
export const dockerArchiveSource: ImageSource = {
  scheme: "docker-archive",
  async open(ref: ImageReference, opts: OpenImageOptions): Promise<Image> {
    const st = await stat(ref.target).catch(() => null);
    if (!st) throw new InputError(`docker-archive: no such file ${ref.target}`);
    if (!st.isFile()) throw new InputError(`docker-archive: ${ref.target} is not a file`);
    return readImageArchiveFile(
      ref.target,
      { ref: ref.raw, scheme: "docker-archive", where: ref.target, ...(ref.tag ? { tag: ref.tag } : {}) },
      opts,
    );
  },
};
