import type { Image, OpenImageOptions, SourceScheme } from "../model.js";
import type { ImageReference } from "../reference.js";

/**
 * Where an image comes from. Each source ends in the same archive/layer
 * readers, so every scheme yields the same `Image`.
 */
export interface ImageSource {
  readonly scheme: SourceScheme;
  open(ref: ImageReference, opts: OpenImageOptions): Promise<Image>;
}
