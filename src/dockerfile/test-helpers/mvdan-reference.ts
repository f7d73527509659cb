/**
 * The reference that shell-parse.ts is held to: mvdan/sh (bash mode, the
 * GopherJS build `mvdan-sh`, a devDependency) read the way slimstage read it
 * before it had its own parser. Used by shell-fidelity.test.ts and
 * `npm run bench -- shell`, never at run time.
 *
 * mvdan's JS wrapper objects convert on every property access (~25 µs each),
 * so this reads the underlying Go structs (`__internal_object__`, slices as
 * {$array,$offset,$length}, strings as UTF-8 byte strings).
 */
import type { ParsedCommand, ShellParseResult } from "../shell-parse.js";
import { type LoadedMvdan, loadMvdanSh, type MvdanParser } from "./mvdan-load.js";

type GoObj = Record<string, unknown> & {
  constructor: { string?: string };
  Pos?: () => { offs: number };
  End?: () => { offs: number };
};

// Loaded on the first RUN script: commands that never parse shell never pay for the 1.5 MB bundle.
let loaded: LoadedMvdan | undefined;
let parserInstance: MvdanParser | undefined;

/** Parses with mvdan/sh; the first call loads the package and stores V8's code cache after it. */
function mvdanParse(script: string): GoObj {
  if (!parserInstance) loadReference();
  const file = ((parserInstance as MvdanParser).Parse(script, "") as { __internal_object__: GoObj })
    .__internal_object__;
  loaded?.saveCache();
  return file;
}

function items(slice: unknown): GoObj[] {
  const s = slice as { $array?: GoObj[]; $offset?: number; $length?: number } | null | undefined;
  if (!s?.$array || !s.$length) return [];
  const out: GoObj[] = [];
  const off = s.$offset ?? 0;
  for (let i = 0; i < s.$length; i++) out.push(s.$array[off + i] as GoObj);
  return out;
}

/** GopherJS nil pointers are sentinel objects (`T.nil`), not null. */
function isNil(o: unknown): boolean {
  if (o === null || o === undefined) return true;
  const ctor = (o as { constructor?: { nil?: unknown } }).constructor;
  return ctor?.nil === o;
}

function typeOf(o: unknown): string {
  if (isNil(o)) return "";
  return (o as GoObj).constructor?.string ?? "";
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: an ASCII test needs the whole range
const ASCII = /^[\x00-\x7f]*$/;

function decodeUtf8(s: string): string {
  return ASCII.test(s) ? s : Buffer.from(s, "latin1").toString("utf8");
}

/** Literal value of a word if it has no expansions; `null` otherwise. Quotes removed. */
function wordValue(word: GoObj): { text: string; literal: boolean } {
  let text = "";
  let literal = true;
  const visit = (parts: GoObj[]) => {
    for (const p of parts) {
      const t = typeOf(p);
      if (t === "*syntax.Lit") {
        const v = p.Value as string;
        if (/[*?[]/.test(v)) literal = false;
        text += v;
      } else if (t === "*syntax.SglQuoted") {
        text += p.Value as string;
      } else if (t === "*syntax.DblQuoted") {
        visit(items(p.Parts));
      } else {
        literal = false;
        text += sourceText(p);
      }
    }
  };
  visit(items(word.Parts));
  return { text: decodeUtf8(text), literal };
}

let currentSource = "";
function sourceText(node: GoObj): string {
  if (isNil(node) || !node.Pos || !node.End) return "";
  return currentSource.slice(node.Pos().offs, node.End().offs);
}

interface Collected {
  node: GoObj;
  name: string;
  args: string[];
  assigns: string[];
  dynamic: number[];
}

function walkStmts(stmts: GoObj[], out: Collected[]): void {
  for (const st of stmts) walkStmt(st, out);
}

function walkStmt(st: GoObj | null | undefined, out: Collected[]): void {
  if (!st || isNil(st)) return;
  const cmd = st.Cmd as GoObj | null;
  if (cmd && typeOf(cmd) === "*syntax.BinaryCmd") walkBinary(cmd, out);
  else walkCmd(cmd, out);
  for (const r of items(st.Redirs)) if (!isNil(r.Word)) walkWord(r.Word as GoObj, out);
}

/**
 * `a && b && ...` in source order without recursing per link: a RUN with
 * thousands of links (#16) overflowed the stack here. Nesting depth (blocks,
 * subshells, substitutions) still recurses; parseShell reports that as an error.
 */
function walkBinary(root: GoObj, out: Collected[]): void {
  const todo: GoObj[] = [root];
  while (todo.length > 0) {
    const st = todo.pop() as GoObj;
    if (st === root || typeOf(st.Cmd) === "*syntax.BinaryCmd") {
      const bin = st === root ? root : (st.Cmd as GoObj);
      if (st !== root && items(st.Redirs).length > 0) {
        walkStmt(st, out);
        continue;
      }
      todo.push(bin.Y as GoObj, bin.X as GoObj);
    } else walkStmt(st, out);
  }
}

function walkWord(w: GoObj, out: Collected[]): void {
  for (const p of items(w.Parts)) {
    const t = typeOf(p);
    if (t === "*syntax.CmdSubst" || t === "*syntax.ProcSubst") walkStmts(items(p.Stmts), out);
    else if (t === "*syntax.DblQuoted") walkWord(p, out);
  }
}

function walkCmd(c: GoObj | null, out: Collected[]): void {
  if (!c || isNil(c)) return;
  switch (typeOf(c)) {
    case "*syntax.CallExpr": {
      const words = items(c.Args);
      const assigns = items(c.Assigns).map((a) => decodeUtf8(sourceText(a)));
      if (words.length > 0) {
        const vals = words.map(wordValue);
        const dynamic: number[] = [];
        vals.forEach((v, i) => {
          if (!v.literal) dynamic.push(i);
        });
        out.push({
          node: c,
          name: (vals[0] as { text: string }).text,
          args: vals.slice(1).map((v) => v.text),
          assigns,
          dynamic,
        });
      }
      for (const w of words) walkWord(w, out);
      for (const a of items(c.Assigns)) if (!isNil(a.Value)) walkWord(a.Value as GoObj, out);
      return;
    }
    case "*syntax.BinaryCmd":
      walkStmt(c.X as GoObj, out);
      walkStmt(c.Y as GoObj, out);
      return;
    case "*syntax.Subshell":
    case "*syntax.Block":
      walkStmts(items(c.Stmts), out);
      return;
    case "*syntax.IfClause": {
      let clause: GoObj | null = c;
      while (clause && !isNil(clause)) {
        walkStmts(items(clause.Cond), out);
        walkStmts(items(clause.Then), out);
        clause = (clause.Else as GoObj | null) ?? null;
      }
      return;
    }
    case "*syntax.WhileClause":
      walkStmts(items(c.Cond), out);
      walkStmts(items(c.Do), out);
      return;
    case "*syntax.ForClause":
      walkStmts(items(c.Do), out);
      return;
    case "*syntax.CaseClause":
      for (const it of items(c.Items)) walkStmts(items(it.Stmts), out);
      return;
    case "*syntax.FuncDecl":
      walkStmt(c.Body as GoObj, out);
      return;
    case "*syntax.TimeClause":
    case "*syntax.CoprocClause":
      walkStmt(c.Stmt as GoObj, out);
      return;
    case "*syntax.DeclClause": {
      const variant = isNil(c.Variant) ? undefined : ((c.Variant as GoObj).Value as string | undefined);
      const args = items(c.Args).map((a) => decodeUtf8(sourceText(a)));
      if (variant) out.push({ node: c, name: variant, args, assigns: [], dynamic: [] });
      return;
    }
    default:
      return;
  }
}

/** Byte offset -> UTF-16 offset table for non-ASCII scripts. */
function byteToUtf16(script: string): (b: number) => number {
  if (ASCII.test(script)) return (b) => b;
  const table: number[] = [];
  let u = 0;
  for (const ch of script) {
    const bytes = Buffer.byteLength(ch, "utf8");
    for (let k = 0; k < bytes; k++) table.push(u);
    u += ch.length;
  }
  table.push(u);
  return (b) => table[Math.min(b, table.length - 1)] as number;
}

/** Loads mvdan-sh now (the first parse would otherwise pay for it); `useCache` as in loadMvdanSh. */
export function loadReference(opts: { useCache?: boolean } = {}): void {
  if (parserInstance) return;
  loaded = loadMvdanSh(opts);
  parserInstance = loaded.sh.syntax.NewParser();
}

/** mvdan/sh's simple commands of one script, in the shape of parseShellCommands. */
export function mvdanCommands(script: string): ShellParseResult {
  let file: GoObj;
  try {
    // mvdan's strings are UTF-8 byte strings: hand it one.
    currentSource = ASCII.test(script) ? script : Buffer.from(script, "utf8").toString("latin1");
    file = mvdanParse(script);
  } catch (e) {
    const msg =
      e && typeof (e as { Error?: unknown }).Error === "function"
        ? String((e as { Error(): string }).Error())
        : String(e);
    const m = /^(\d+):(\d+): (.*)$/.exec(msg);
    return { commands: [], error: { message: m ? (m[3] as string) : msg, offset: 0 } };
  }
  const collected: Collected[] = [];
  try {
    walkStmts(items(file.Stmts), collected);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return {
      commands: [],
      error: { message: "the script is nested too deeply for the shell parser", offset: 0 },
    };
  }
  const toU = byteToUtf16(script);
  return {
    commands: collected.map(
      (c): ParsedCommand => ({
        start: toU(c.node.Pos ? c.node.Pos().offs : 0),
        end: toU(c.node.End ? c.node.End().offs : 0),
        name: c.name,
        args: c.args,
        assigns: c.assigns,
        dynamic: c.dynamic,
      }),
    ),
  };
}
