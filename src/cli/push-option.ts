/**
 * `--push REF` of the commands that make an image (minify, optimize): checked
 * before the work starts, and the push itself, which only a verified image gets.
 */
import type { PushTarget } from "../engine/images.js";
import { InputError } from "../errors.js";

/** The push target of `--push REF`; an InputError before any work when REF is not HOST[:PORT]/NAME[:TAG]. */
export async function pushTarget(ref: string): Promise<PushTarget> {
  const [{ checkImageReference }, { parseFromReference }] = await Promise.all([
    import("../image/reference-grammar.js"),
    import("../dockerfile/image-ref.js"),
  ]);
  checkImageReference(ref, "--push");
  const r = parseFromReference(ref);
  if (r.digest !== undefined || r.registry === undefined)
    throw new InputError(`--push ${ref}: give a registry and a tag (HOST[:PORT]/NAME[:TAG]), not a digest`);
  return { registry: r.registry, name: r.repository, tag: r.tag ?? "latest" };
}

/** Pushes the verified `image` as `ref`; what the result records. */
export async function pushVerified(
  image: string,
  ref: string,
  to: PushTarget,
  signal: AbortSignal,
): Promise<{ ref: string; digest?: string }> {
  const { pushImage } = await import("../engine/images.js");
  return { ref, ...(await pushImage(image, to, { signal })) };
}
