import type { ImageRef } from "./model.js";

/**
 * Splits an image reference `[registry/]repository[:tag][@digest]` the way
 * the distribution reference grammar does (the first component is a registry
 * when it has a `.` or `:` or is `localhost`). Best effort for references
 * with unexpanded variables. Hand-written: the grammar is small and no npm
 * package parses it without network-related extras.
 */
export function parseFromReference(text: string): ImageRef {
  const raw = text;
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | undefined;
  const firstSlash = rest.indexOf("/");
  if (firstSlash > 0) {
    const first = rest.slice(0, firstSlash);
    if (first.includes(".") || first.includes(":") || first === "localhost") {
      registry = first;
      rest = rest.slice(firstSlash + 1);
    }
  }
  const ref: ImageRef = {
    raw,
    repository: rest,
    scratch: text.toLowerCase() === "scratch",
    hasVariables: text.includes("$"),
  };
  if (registry !== undefined) ref.registry = registry;
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}
