import { existsSync } from "node:fs";
import { InputError } from "../errors.js";
import type { SourceScheme } from "./model.js";
import { checkImageReference } from "./reference-grammar.js";

export interface ImageReference {
  scheme: SourceScheme;
  /** The image name (docker), file (docker-archive) or directory (oci-layout). */
  target: string;
  /** oci-layout (and multi-image docker-archive): which image inside. */
  tag?: string;
  /** The reference as given. */
  raw: string;
}

const SCHEMES: readonly SourceScheme[] = ["docker", "docker-archive", "oci-layout", "registry"];

/** Splits "PATH:TAG" when PATH itself does not exist (a path may contain ":"). */
function splitTag(target: string): { target: string; tag?: string } {
  if (existsSync(target)) return { target };
  const i = target.lastIndexOf(":");
  if (i <= 0 || target.indexOf("/", i) >= 0) return { target };
  return { target: target.slice(0, i), tag: target.slice(i + 1) };
}

/**
 * Parses an image reference: `docker://IMAGE` (also the default without a
 * scheme), `docker-archive://FILE.tar[:TAG]`, `oci-layout://DIR[:TAG]`,
 * `registry://HOST[:PORT]/NAME[:TAG|@DIGEST]`.
 */
export function parseImageSource(ref: string): ImageReference {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/.exec(ref);
  if (!m) {
    if (ref.trim() === "") throw new InputError("empty image reference");
    checkImageReference(ref, "image");
    return { scheme: "docker", target: ref, raw: ref };
  }
  const scheme = m[1] as SourceScheme;
  const rest = m[2] ?? "";
  if (!SCHEMES.includes(scheme)) {
    throw new InputError(`unknown image source scheme ${JSON.stringify(`${m[1]}://`)}`, {
      hint: "use docker://IMAGE, docker-archive://FILE.tar, oci-layout://DIR[:TAG] or registry://HOST/NAME[:TAG]",
    });
  }
  if (rest === "")
    throw new InputError(
      `${scheme}:// needs a ${scheme === "docker" || scheme === "registry" ? "image name" : "path"}`,
    );
  if (scheme === "docker") {
    checkImageReference(rest, "image");
    return { scheme, target: rest, raw: ref };
  }
  // registry://HOST/NAME:TAG is split by the registry source (a host may hold ":PORT").
  if (scheme === "registry") return { scheme, target: rest, raw: ref };
  const split = splitTag(rest);
  return split.tag !== undefined
    ? { scheme, target: split.target, tag: split.tag, raw: ref }
    : { scheme, target: split.target, raw: ref };
}
