/**
 * The small files whose contents owner attribution needs. Everything else is
 * kept as metadata only. Patterns are matched on normalised paths.
 */
const META_PATTERNS: readonly RegExp[] = [
  /^var\/lib\/dpkg\/status$/,
  /^var\/lib\/dpkg\/status\.d\/[^/]+$/,
  /^var\/lib\/dpkg\/info\/[^/]+\.list$/,
  /^lib\/apk\/db\/installed$/,
  /(^|\/)[^/]+\.dist-info\/RECORD$/,
  /(^|\/)[^/]+\.egg-info\/(installed-files\.txt|PKG-INFO)$/,
  /(^|\/)node_modules\/(@[^/]+\/)?[^/@][^/]*\/package\.json$/,
];

/** Cheap pre-check on the name's ending: most paths end in none of these. */
const META_ENDINGS = [
  ".list",
  "status",
  "installed",
  "RECORD",
  "installed-files.txt",
  "PKG-INFO",
  "package.json",
];

export function isMetaFile(path: string): boolean {
  // Plain loops: called once per tar entry, mostly before the JIT has warmed up. First the last
  // character (t s d D O n end the META_ENDINGS): most paths stop there.
  switch (path.charCodeAt(path.length - 1)) {
    case 0x74:
    case 0x73:
    case 0x64:
    case 0x44:
    case 0x4f:
    case 0x6e:
      break;
    default:
      if (!path.startsWith("var/lib/dpkg/status.d/")) return false;
  }
  let ending = false;
  // biome-ignore lint/style/noNonNullAssertion: i < META_ENDINGS.length, a constant array
  for (let i = 0; i < META_ENDINGS.length && !ending; i++) ending = path.endsWith(META_ENDINGS[i]!);
  if (!ending && !path.startsWith("var/lib/dpkg/status.d/")) return false;
  // biome-ignore lint/style/noNonNullAssertion: i < META_PATTERNS.length, a constant array
  for (let i = 0; i < META_PATTERNS.length; i++) if (META_PATTERNS[i]!.test(path)) return true;
  return false;
}

/**
 * package.json files can be large (scripts, readme): keep only what attribution reads, and the
 * names of the declared dependencies (minify keeps a used package's installed dependencies).
 */
export function shrinkMetaFile(path: string, text: string): string {
  if (!path.endsWith("package.json")) return text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object") {
      const o = parsed as Record<string, unknown>;
      const names = (v: unknown) =>
        v && typeof v === "object" && !Array.isArray(v) ? Object.keys(v as object).sort() : undefined;
      const deps = [
        ...new Set([
          ...(names(o.dependencies) ?? []),
          ...(names(o.optionalDependencies) ?? []),
          ...(names(o.peerDependencies) ?? []),
        ]),
      ];
      return JSON.stringify({
        name: o.name,
        version: o.version,
        ...(deps.length ? { dependencies: deps } : {}),
      });
    }
  } catch {
    // Unparseable: attribution falls back to the directory name.
  }
  return "{}";
}
