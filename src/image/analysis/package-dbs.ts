/**
 * Parsers for the package databases found in images. Each takes the text of
 * a small metadata file and returns plain records; no tree access here.
 */

export interface DebPackage {
  name: string;
  version: string;
  arch: string;
}

/** `/var/lib/dpkg/status`: RFC822-like stanzas; only installed packages count. */
export function parseDpkgStatus(text: string): DebPackage[] {
  const out: DebPackage[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let last = "";
    for (const line of stanza.split("\n")) {
      if (/^\s/.test(line)) continue; // continuation of a multi-line field
      const i = line.indexOf(":");
      if (i <= 0) continue;
      last = line.slice(0, i).toLowerCase();
      fields.set(last, line.slice(i + 1).trim());
    }
    const name = fields.get("package");
    if (!name) continue;
    const status = fields.get("status");
    if (status !== undefined && !/\binstalled$/.test(status)) continue;
    out.push({ name, version: fields.get("version") ?? "", arch: fields.get("architecture") ?? "" });
  }
  return out;
}

export interface ApkPackage {
  name: string;
  version: string;
  /** Paths owned, image-relative. */
  files: string[];
}

/** `/lib/apk/db/installed`: P: name, V: version, F: directory, R: file in the last F. */
export function parseApkInstalled(text: string): ApkPackage[] {
  const out: ApkPackage[] = [];
  let cur: ApkPackage | undefined;
  let dir = "";
  for (const line of text.split("\n")) {
    if (line.trim() === "") {
      if (cur) out.push(cur);
      cur = undefined;
      dir = "";
      continue;
    }
    const key = line.slice(0, 2);
    const val = line.slice(2);
    cur ??= { name: "", version: "", files: [] };
    if (key === "P:") cur.name = val;
    else if (key === "V:") cur.version = val;
    else if (key === "F:") dir = val;
    else if (key === "R:") cur.files.push(dir ? `${dir}/${val}` : val);
  }
  if (cur) out.push(cur);
  return out.filter((p) => p.name !== "");
}

/** The first field of each RECORD line (CSV: a path with commas is quoted). */
export function parseRecordPaths(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    if (line.startsWith('"')) {
      let path = "";
      let i = 1;
      for (; i < line.length; i++) {
        const ch = line[i];
        if (ch === '"') {
          if (line[i + 1] === '"') {
            path += '"';
            i++;
            continue;
          }
          break;
        }
        path += ch;
      }
      out.push(path);
    } else {
      out.push(line.slice(0, line.indexOf(",") < 0 ? line.length : line.indexOf(",")));
    }
  }
  return out;
}

/** "Flask-3.0.0.dist-info" -> flask 3.0.0; "foo-1.2-py3.11.egg-info" -> foo 1.2. */
export function distNameVersion(dirName: string): { name: string; version: string } {
  const stem = dirName.replace(/\.(dist-info|egg-info)$/, "");
  const parts = stem.split("-");
  const name = (parts[0] ?? stem).toLowerCase().replace(/_/g, "-");
  return { name, version: parts[1] ?? "" };
}

/** PKG-INFO / METADATA headers. */
export function parsePkgInfo(text: string): { name?: string; version?: string } {
  const out: { name?: string; version?: string } = {};
  for (const line of text.split("\n")) {
    if (line.trim() === "") break;
    const m = /^(Name|Version):\s*(.+)$/.exec(line);
    if (m?.[1] === "Name") out.name = m[2]!.trim().toLowerCase();
    if (m?.[1] === "Version") out.version = m[2]!.trim();
  }
  return out;
}
