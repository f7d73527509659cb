/**
 * Normalises a path from a tar header to the image-relative form used
 * everywhere ("usr/bin/python3"). Returns null for a path that would leave
 * the root ("../etc/passwd", "a/../../b"): such entries are dropped with a
 * warning. Absolute paths are rooted at the image root, as docker does.
 */
export interface NormalisedPath {
  path: string | null;
  /** Why the path was unusual (absolute, had "..", escaped the root). */
  problem?: string;
}

const NEEDS_WORK = /^\/|\/\/|\/$|(^|\/)\.\.?(\/|$)/;

/** True when `raw` is already normalised (most tar names are): the hot loops skip the object. */
export function isCleanPath(raw: string): boolean {
  return raw !== "" && !NEEDS_WORK.test(raw);
}

export function normaliseEntryPath(raw: string): NormalisedPath {
  // Most names are already clean: no leading or doubled slash, no "." or ".." part.
  if (isCleanPath(raw)) return { path: raw };
  // Layers made with `tar -C rootfs .` name everything "./etc/…" and directories "etc/":
  // drop that prefix and suffix, and only split the path when something else is unusual.
  let trimmed = raw.startsWith("./") ? raw.slice(2) : raw;
  if (trimmed.endsWith("/")) trimmed = trimmed.slice(0, -1);
  if (trimmed !== raw && isCleanPath(trimmed)) return { path: trimmed };
  let problem: string | undefined;
  if (raw.startsWith("/")) problem = "absolute path";
  const out: string[] = [];
  for (const part of raw.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length === 0) return { path: null, problem: "path escapes the image root" };
      out.pop();
      problem ??= "path contains ..";
      continue;
    }
    out.push(part);
  }
  return problem ? { path: out.join("/"), problem } : { path: out.join("/") };
}

export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export function joinPath(dir: string, name: string): string {
  return dir === "" ? name : `${dir}/${name}`;
}
