import type { ImageRef } from "./model.js";

export function parseImageRef(_text: string): ImageRef {
  throw new Error("not implemented yet");
}
