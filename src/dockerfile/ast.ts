/**
 * Stage 1 of the frontend: text -> BuildKit-compatible untyped nodes, with
 * offsets into the source kept for every piece. Follows the behaviour of
 * BuildKit's parser (frontend/dockerfile/parser) so that the AST dump of its
 * own test corpus matches byte for byte; typed instructions come later
 * (instructions.ts).
 */
import { ParseError } from "../errors.js";
import { isSpace, LexError, lexWord } from "./shell-lex.js";
import type { SourceText } from "./source-text.js";

/** A piece of the logical line: `length` chars at `logical` come from `source` in the file. */
export interface Segment {
  logical: number;
  source: number;
  length: number;
}

export type BkNext =
  | { kind: "none" }
  | { kind: "values"; values: string[]; json: boolean }
  | { kind: "child"; node: BkNode };

/** BuildKit's parser node for one instruction, plus logical-line offsets. */
export interface BkNode {
  /** Command word as written. */
  cmd: string;
  cmdStart: number;
  flags: { text: string; start: number; end: number }[];
  /** Argument text after the flags (BuildKit's `rest`, trimmed). */
  args: string;
  argsStart: number;
  next: BkNext;
}

export interface RawHeredoc {
  name: string;
  fd?: number;
  chomp: boolean;
  expand: boolean;
  content: string;
  /** First line index of the body and the terminator line index. */
  bodyFirstLine: number;
  terminatorLine: number;
}

export type RawItem =
  | { kind: "directive"; line: number; name: string; value: string; column: number }
  | { kind: "comment"; line: number; column: number }
  | { kind: "blank"; line: number }
  | {
      kind: "instruction";
      firstLine: number;
      /** Last line of the logical line (before heredoc bodies). */
      logicalLastLine: number;
      lastLine: number;
      logical: string;
      segments: Segment[];
      innerCommentLines: number[];
      heredocs: RawHeredoc[];
      node: BkNode;
      emptyContinuation: boolean;
    };

export interface RawFile {
  escape: "\\" | "`";
  items: RawItem[];
}

const DIRECTIVE_RE = /^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$/;
const VALID_DIRECTIVES = new Set(["syntax", "escape", "check"]);
const WS_RE = /[\t\v\f\r ]+/;
const HEREDOC_RE = /^(\d*)<<(-?)[\t\n\f\r ]*([^<]*)$/;

function leadingSpace(s: string): number {
  let i = 0;
  while (i < s.length && isSpace(s[i] as string)) i++;
  return i;
}

function trimSpaceRange(s: string): [number, number] {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s[a] as string)) a++;
  while (b > a && isSpace(s[b - 1] as string)) b--;
  return [a, b];
}

/** BuildKit's line-continuation regex: `([^E])E[ \t]*$|^E[ \t]*$`. */
function trimContinuation(line: string, esc: string): { body: string; cont: boolean } {
  let e = line.length;
  while (e > 0 && (line[e - 1] === " " || line[e - 1] === "\t")) e--;
  if (e > 0 && line[e - 1] === esc && (e === 1 || line[e - 2] !== esc)) {
    return { body: line.slice(0, e - 1), cont: true };
  }
  return { body: line, cont: false };
}

function isCommentLine(line: string): boolean {
  return line[leadingSpace(line)] === "#";
}

export function makeError(
  src: SourceText,
  file: string | undefined,
  message: string,
  lineIndex: number,
  column = 1,
  endLineIndex?: number,
): ParseError {
  const line = Math.max(0, Math.min(lineIndex, src.lines.length - 1));
  const location: { file?: string; line: number; column: number; endLine?: number } = {
    line: src.lines.length === 0 ? 1 : line + 1,
    column,
  };
  if (file !== undefined) location.file = file;
  if (endLineIndex !== undefined && endLineIndex !== lineIndex) location.endLine = endLineIndex + 1;
  return new ParseError(message, {
    location,
    sourceLine: src.lines.length === 0 ? "" : src.content(line),
  });
}

export function parseRaw(src: SourceText, file?: string): RawFile {
  let esc: "\\" | "`" = "\\";
  let directivesDone = false;
  const seen = new Set<string>();
  const items: RawItem[] = [];
  const lines = src.lines;
  let i = 0;
  while (i < lines.length) {
    let content = src.content(i);
    let base = (lines[i] as { start: number }).start;
    if (i === 0 && content.startsWith("\uFEFF")) {
      content = content.slice(1);
      base++;
    }
    const lead = leadingSpace(content);
    const trimmed = content.slice(lead);
    const col = base - (lines[i] as { start: number }).start + lead + 1;

    if (!directivesDone) {
      const d = matchDirective(trimmed);
      if (d === null) {
        directivesDone = true;
      } else {
        if (seen.has(d.name))
          throw makeError(src, file, `only one ${d.name} parser directive can be used`, i, col);
        seen.add(d.name);
        if (d.name === "escape") {
          if (d.value !== "`" && d.value !== "\\") {
            throw makeError(src, file, `invalid escape token '${d.value}' does not match \` or \\`, i, col);
          }
          esc = d.value;
        }
        items.push({ kind: "directive", line: i, name: d.name, value: d.value, column: col });
        i++;
        continue;
      }
    }
    if (trimmed.startsWith("#")) {
      items.push({ kind: "comment", line: i, column: col });
      i++;
      continue;
    }
    const first = trimContinuation(trimmed, esc);
    if (!first.cont && first.body === "") {
      items.push({ kind: "blank", line: i });
      i++;
      continue;
    }
    const segments: Segment[] = [{ logical: 0, source: base + lead, length: first.body.length }];
    let logical = first.body;
    let isEnd = !first.cont;
    let end = i;
    const innerCommentLines: number[] = [];
    let emptyContinuation = false;
    while (!isEnd && end + 1 < lines.length) {
      end++;
      const c = src.content(end);
      if (isCommentLine(c)) {
        innerCommentLines.push(end);
        continue;
      }
      if (leadingSpace(c) === c.length) {
        emptyContinuation = true;
        continue;
      }
      const t = trimContinuation(c, esc);
      segments.push({
        logical: logical.length,
        source: (lines[end] as { start: number }).start,
        length: t.body.length,
      });
      logical += t.body;
      isEnd = !t.cont;
    }
    let node: BkNode;
    try {
      node = newNode(logical, 0, esc);
    } catch (e) {
      if (e instanceof LineError) {
        throw makeError(src, file, e.message, i, col, end);
      }
      throw e;
    }
    const heredocs: RawHeredoc[] = [];
    const logicalLastLine = end;
    if (canContainHeredoc(node) && logical.includes("<<")) {
      let docs: Omit<RawHeredoc, "content" | "bodyFirstLine" | "terminatorLine">[];
      try {
        docs = heredocsFromLine(logical);
      } catch (e) {
        if (e instanceof LexError) throw makeError(src, file, e.message, i, col, end);
        throw e;
      }
      for (const doc of docs) {
        let content = "";
        let terminated = false;
        const bodyFirstLine = end + 1;
        while (end + 1 < lines.length) {
          end++;
          let possible = src.content(end);
          if (doc.chomp) possible = possible.replace(/^\t+/, "");
          if (possible === doc.name) {
            terminated = true;
            break;
          }
          const l = lines[end] as { start: number; end: number };
          content += src.text.slice(l.start, l.end);
        }
        if (!terminated) {
          throw makeError(src, file, `unterminated heredoc (expected a line "${doc.name}")`, i, col, end);
        }
        heredocs.push({ ...doc, content, bodyFirstLine, terminatorLine: end });
      }
    }
    items.push({
      kind: "instruction",
      firstLine: i,
      logicalLastLine,
      lastLine: end,
      logical,
      segments,
      innerCommentLines,
      heredocs,
      node,
      emptyContinuation,
    });
    i = end + 1;
  }
  if (!items.some((it) => it.kind === "instruction")) {
    throw makeError(src, file, "file with no instructions", Math.max(0, lines.length - 1), 1);
  }
  return { escape: esc, items };
}

function matchDirective(trimmed: string): { name: string; value: string } | null {
  if (!trimmed.startsWith("#")) return null;
  const m = DIRECTIVE_RE.exec(trimmed.slice(1).replace(/^[\s\u0085\u00a0]+/, ""));
  if (!m) return null;
  const name = (m[1] as string).toLowerCase();
  if (!VALID_DIRECTIVES.has(name)) return null;
  return { name, value: m[2] as string };
}

/** An error inside one logical line (converted to a ParseError with a location by the caller). */
export class LineError extends Error {}

const HEREDOC_COMMANDS = new Set(["add", "copy", "run"]);

function canContainHeredoc(node: BkNode): boolean {
  let n = node;
  if (n.cmd.toLowerCase() === "onbuild" && n.next.kind === "child") n = n.next.node;
  if (!HEREDOC_COMMANDS.has(n.cmd.toLowerCase())) return false;
  return !(n.next.kind === "values" && n.next.json);
}

function heredocsFromLine(line: string): { name: string; fd?: number; chomp: boolean; expand: boolean }[] {
  let words: string[];
  try {
    words = lexWord(line, () => undefined, {
      rawQuotes: true,
      rawEscapes: true,
      skipUnsetEnv: true,
      // Nothing is expanded here: the result is never longer than the line.
      maxLength: Number.POSITIVE_INFINITY,
    }).words;
  } catch {
    return [];
  }
  const docs: { name: string; fd?: number; chomp: boolean; expand: boolean }[] = [];
  for (const w of words) {
    const m = HEREDOC_RE.exec(w);
    if (!m) continue;
    const rest = m[3] as string;
    if (rest.length === 0) continue;
    const plain = lexWord(rest, () => undefined, {
      skipUnsetEnv: true,
      maxLength: Number.POSITIVE_INFINITY,
    }).words;
    if (plain.length !== 1) continue;
    const raw = lexWord(rest, () => undefined, {
      skipUnsetEnv: true,
      rawQuotes: true,
      maxLength: Number.POSITIVE_INFINITY,
    }).words;
    if (raw.length !== plain.length)
      throw new LexError(`internal lexing of heredoc produced inconsistent results: ${rest}`);
    const word = plain[0] as string;
    const count = (s: string) => (s.match(/['"]/g) ?? []).length;
    const doc: { name: string; fd?: number; chomp: boolean; expand: boolean } = {
      name: word,
      chomp: m[2] === "-",
      expand: count(word) === count(raw[0] as string),
    };
    if (m[1]) doc.fd = Number(m[1]);
    docs.push(doc);
  }
  return docs;
}

// ---------------------------------------------------------------------------
// Line parsers (BuildKit's dispatch table)

/** splitCommand + dispatch for one logical line; `base` is the logical offset of `line`. */
export function newNode(line: string, base: number, esc: string): BkNode {
  const [ts, te] = trimSpaceRange(line);
  const s = line.slice(ts, te);
  const m = WS_RE.exec(s);
  let cmd = s;
  let flags: BkNode["flags"] = [];
  let args = "";
  let argsStart = base + te;
  if (m) {
    cmd = s.slice(0, m.index);
    const restStart = m.index + m[0].length;
    const ex = extractBuilderFlags(s.slice(restStart), esc);
    flags = ex.flags.map((f) => ({
      text: f.text,
      start: base + ts + restStart + f.start,
      end: base + ts + restStart + f.end,
    }));
    const [as, ae] = trimSpaceRange(ex.rest);
    args = ex.rest.slice(as, ae);
    argsStart = base + ts + restStart + ex.restStart + as;
  }
  const node: BkNode = { cmd, cmdStart: base + ts, flags, args, argsStart, next: { kind: "none" } };
  node.next = dispatch(cmd.toLowerCase(), args, argsStart, esc);
  return node;
}

export function dispatch(cmd: string, rest: string, restStart: number, esc: string): BkNext {
  switch (cmd) {
    case "add":
    case "copy":
    case "volume":
      return parseMaybeJsonToList(rest);
    case "arg":
      return values(parseWords(rest, esc));
    case "cmd":
    case "entrypoint":
    case "run":
    case "shell":
      return parseMaybeJson(rest);
    case "env":
      return parseNameVal(rest, "ENV", esc);
    case "label":
      return parseNameVal(rest, "LABEL", esc);
    case "expose":
    case "from":
      return splitWhitespace(rest);
    case "healthcheck":
      return parseHealthConfig(rest);
    case "maintainer":
    case "stopsignal":
    case "user":
    case "workdir":
      return rest === "" ? { kind: "none" } : values([rest]);
    case "onbuild":
      return rest === "" ? { kind: "none" } : { kind: "child", node: newNode(rest, restStart, esc) };
    default:
      return values([""]);
  }
}

function values(v: string[], json = false): BkNext {
  return v.length === 0 ? { kind: "none" } : { kind: "values", values: v, json };
}

function splitWhitespace(rest: string): BkNext {
  if (rest === "") return { kind: "none" };
  return values(rest.split(WS_RE));
}

/** BuildKit's parseJSON: a string list, or null when the text is not a JSON array (shell form). */
function parseJson(rest: string): string[] | null {
  const r = rest.slice(leadingSpace(rest));
  if (!r.startsWith("[")) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(r);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  for (const el of parsed) {
    if (typeof el !== "string") {
      throw new LineError("when using JSON array syntax, arrays must be comprised of strings only");
    }
  }
  return parsed as string[];
}

function parseMaybeJson(rest: string): BkNext {
  if (rest === "") return { kind: "none" };
  const list = parseJson(rest);
  if (list === null) return values([rest]);
  return list.length === 0 ? { kind: "values", values: [], json: true } : values(list, true);
}

function parseMaybeJsonToList(rest: string): BkNext {
  const list = parseJson(rest);
  if (list === null) return splitWhitespace(rest);
  return { kind: "values", values: list, json: true };
}

function parseHealthConfig(rest: string): BkNext {
  let sep = 0;
  while (sep < rest.length && !isSpace(rest[sep] as string)) sep++;
  let next = sep;
  while (next < rest.length && isSpace(rest[next] as string)) next++;
  if (sep === 0) return { kind: "none" };
  const cmd = parseMaybeJson(rest.slice(next));
  if (cmd.kind === "values")
    return { kind: "values", values: [rest.slice(0, sep), ...cmd.values], json: cmd.json };
  return values([rest.slice(0, sep)]);
}

/** BuildKit's parseWords: whitespace-separated words, quotes and escapes kept. */
export function parseWords(rest: string, esc: string): string[] {
  const words: string[] = [];
  let phase: 0 | 1 | 2 = 0;
  let quote = "";
  let blankOK = false;
  let sb = "";
  const chars = [...rest];
  const n = chars.length;
  for (let pos = 0; pos <= n; pos++) {
    let ch = pos < n ? (chars[pos] as string) : "";
    if (phase === 0) {
      if (pos === n) break;
      if (isSpace(ch)) continue;
      phase = 1;
    }
    if ((phase === 1 || phase === 2) && pos === n) {
      if (blankOK || sb.length > 0) words.push(sb);
      break;
    }
    if (phase === 1) {
      if (isSpace(ch)) {
        phase = 0;
        if (blankOK || sb.length > 0) words.push(sb);
        sb = "";
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = 2;
      }
      if (ch === esc) {
        if (pos + 1 === n) continue;
        sb += ch;
        pos++;
        ch = chars[pos] as string;
      }
      sb += ch;
      continue;
    }
    if (ch === quote) phase = 1;
    if (ch === esc && quote !== "'") {
      if (pos + 1 === n) {
        phase = 1;
        continue;
      }
      pos++;
      sb += ch;
      ch = chars[pos] as string;
    }
    sb += ch;
  }
  return words;
}

function parseNameVal(rest: string, key: string, esc: string): BkNext {
  const words = parseWords(rest, esc);
  if (words.length === 0) return { kind: "none" };
  if (!(words[0] as string).includes("=")) {
    const m = WS_RE.exec(rest);
    if (!m) throw new LineError(`${key} must have two arguments`);
    return values([rest.slice(0, m.index), rest.slice(m.index + m[0].length), ""]);
  }
  const out: string[] = [];
  for (const w of words) {
    const eq = w.indexOf("=");
    if (eq < 0) {
      throw new LineError(
        `Syntax error - can't find = in ${JSON.stringify(w)}. Must be of the form: name=value`,
      );
    }
    out.push(w.slice(0, eq), w.slice(eq + 1), "=");
  }
  return values(out);
}

/** BuildKit's extractBuilderFlags, with offsets of each flag word. */
function extractBuilderFlags(
  line: string,
  esc: string,
): { rest: string; restStart: number; flags: { text: string; start: number; end: number }[] } {
  const flags: { text: string; start: number; end: number }[] = [];
  let phase: 0 | 1 | 2 = 0;
  let sb = "";
  let quote = "";
  let blankOK = false;
  let wordStart = 0;
  const n = line.length;
  for (let pos = 0; pos <= n; pos++) {
    let ch = pos < n ? (line[pos] as string) : "";
    if (phase === 0) {
      if (pos === n) break;
      if (isSpace(ch)) continue;
      if (ch !== "-" || pos + 1 === n || line[pos + 1] !== "-") {
        return { rest: line.slice(pos), restStart: pos, flags };
      }
      phase = 1;
      wordStart = pos;
    }
    if ((phase === 1 || phase === 2) && pos === n) {
      if (sb !== "--" && (blankOK || sb.length > 0)) flags.push({ text: sb, start: wordStart, end: pos });
      break;
    }
    if (phase === 1) {
      if (isSpace(ch)) {
        phase = 0;
        if (sb === "--") return { rest: line.slice(pos), restStart: pos, flags };
        if (blankOK || sb.length > 0) flags.push({ text: sb, start: wordStart, end: pos });
        sb = "";
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = 2;
        continue;
      }
      if (ch === esc) {
        if (pos + 1 === n) continue;
        pos++;
        ch = line[pos] as string;
      }
      sb += ch;
      continue;
    }
    if (ch === quote) {
      phase = 1;
      continue;
    }
    if (ch === esc) {
      if (pos + 1 === n) {
        phase = 1;
        continue;
      }
      pos++;
      ch = line[pos] as string;
    }
    sb += ch;
  }
  return { rest: "", restStart: n, flags };
}
