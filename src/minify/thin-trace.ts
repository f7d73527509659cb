import { posix } from "node:path";
import { type FileTree, type TreeNode, walk } from "../image/filetree.js";
import type { KeepWhy } from "./closure.js";

/**
 * Where a trace is thin: code that loads modules by computed names (the
 * trace saw the names one run chose, not the others), plugin entry points,
 * and template or locale folders only part of which the run read. Written by
 * hand over regular expressions: a full parser for each language would be
 * needed to be exact, and a warning only has to point at the place.
 */
export interface DynamicUse {
  /** Relative path of the source file. */
  path: string;
  line: number;
  what: "computed-import" | "computed-require" | "dynamic-import" | "entry-points" | "lazy-require";
  text: string;
  /** For a literal relative require: the path it names, joined to the file's directory (relative, unresolved). */
  target?: string;
}

/** Python: import_module / __import__ with anything but a string literal; entry point lookups. */
const PY_RULES: ReadonlyArray<readonly [RegExp, DynamicUse["what"]]> = [
  [/\b(?:importlib\.)?import_module\(\s*(?!["'][^"'{}%]*["']\s*[,)])/, "computed-import"],
  [/\b__import__\(\s*(?!["'][^"'{}%]*["']\s*[,)])/, "computed-import"],
  [/\b(?:iter_entry_points|entry_points)\(\s*(?:group\s*=|["'])/, "entry-points"],
];
/** JavaScript: require() or import() with anything but a plain string literal. */
const JS_RULES: ReadonlyArray<readonly [RegExp, DynamicUse["what"]]> = [
  [/(?<![.\w$])require\(\s*(?!["'][^"'`]*["']\s*\)|`[^`$]*`\s*\))[^)]/, "computed-require"],
  [/(?<![.\w$])import\(\s*(?!["'][^"'`]*["']\s*[,)]|`[^`$]*`\s*[,)])[^)]/, "dynamic-import"],
];

export function isScannable(path: string): boolean {
  return /\.(py|js|cjs|mjs)$/.test(path);
}

/** The dynamic loads in one source file (at most `max`, the first ones). */
export function scanSource(path: string, text: string, max = 5): DynamicUse[] {
  const rules = path.endsWith(".py") ? PY_RULES : JS_RULES;
  const out: DynamicUse[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length && out.length < max; i++) {
    const line = lines[i] as string;
    // Minified bundles put a program on one line: only the first 400 characters of a line are shown.
    if (line.trimStart().startsWith("#") || line.trimStart().startsWith("//")) continue;
    for (const [re, what] of rules) {
      if (re.test(line)) {
        out.push({ path, line: i + 1, what, text: line.trim().slice(0, 160) });
        break;
      }
    }
  }
  // Literal relative requires: the caller keeps those whose file the run never loaded (a lazy load not taken).
  if (!path.endsWith(".py")) {
    let lazy = 0;
    for (let i = 0; i < lines.length && lazy < 50; i++) {
      for (const m of (lines[i] as string).matchAll(LITERAL_REQUIRE)) {
        const spec = m[1] as string;
        out.push({
          path,
          line: i + 1,
          what: "lazy-require",
          text: (lines[i] as string).trim().slice(0, 160),
          target: posix.normalize(posix.join(posix.dirname(path), spec)),
        });
        if (++lazy >= 50) break;
      }
    }
  }
  return out;
}

const LITERAL_REQUIRE = /(?<![.\w$])require\(\s*["'](\.{1,2}\/[^"'`]*)["']\s*\)/g;

/** Folder names whose contents an app picks by name at run time. */
const DATA_FOLDERS = new Set(["templates", "locale", "locales", "i18n", "translations", "zoneinfo"]);

export interface PartialFolder {
  path: string;
  kept: number;
  total: number;
}

/** Template, locale and time-zone folders of which some files are kept and some are not. */
export function partialFolders(tree: FileTree, why: ReadonlyMap<string, KeepWhy>): PartialFolder[] {
  const out: PartialFolder[] = [];
  walk(tree.root, "", (n, path) => {
    if (n.children === null || !DATA_FOLDERS.has(n.name)) return;
    // Nested data folders (locale/xx/...) count once, at the outermost.
    for (let p: TreeNode | null = n.parent; p; p = p.parent) if (DATA_FOLDERS.has(p.name)) return;
    let kept = 0;
    let total = 0;
    walk(n, path, (c, cpath) => {
      if (c.children !== null) return;
      total++;
      if (why.has(cpath)) kept++;
    });
    if (kept > 0 && kept < total) out.push({ path, kept, total });
  });
  return out;
}
