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
  // One pass over the lines by offsets, keeping the four fields read (a Debian status file has
  // thousands of lines, mostly descriptions and conffiles, read once per inspect).
  const out: DebPackage[] = [];
  let name = "";
  let version = "";
  let arch = "";
  let status: string | undefined;
  const flush = () => {
    if (name !== "" && (status === undefined || /\binstalled$/.test(status)))
      out.push({ name, version, arch });
    name = version = arch = "";
    status = undefined;
  };
  const n = text.length;
  for (let start = 0; start <= n; ) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = n;
    const c = text.charCodeAt(start);
    const space = c === 0x20 || c === 0x09 || c === 0x0d;
    if (start === end || (space && text.slice(start, end).trim() === "")) flush();
    else if (!space) {
      // Not a continuation line: "Field: value", field names compared without case.
      const colon = text.indexOf(":", start);
      if (colon > start && colon < end) {
        const len = colon - start;
        if (len === 7 || len === 6 || len === 12) {
          const key = text.slice(start, colon).toLowerCase();
          const value = text.slice(colon + 1, end).trim();
          if (key === "package") name = value;
          else if (key === "version") version = value;
          else if (key === "status") status = value;
          else if (key === "architecture") arch = value;
        }
      }
    }
    start = end + 1;
  }
  flush();
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
    const value = m?.[2];
    if (value === undefined) continue;
    if (m?.[1] === "Name") out.name = value.trim().toLowerCase();
    if (m?.[1] === "Version") out.version = value.trim();
  }
  return out;
}
