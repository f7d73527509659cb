/**
 * A shell parser for what the rules read from RUN scripts: every simple
 * command (name, arguments, assignments, source range) across lists,
 * pipelines, compound commands, functions and command substitutions, plus
 * syntax errors with their place. It follows mvdan/sh's (bash mode) tree and
 * its adapter's choices exactly; shell-fidelity.test.ts holds it to mvdan/sh
 * on every RUN of the BuildKit and hadolint corpora, the seeds and the long
 * benchmark corpus.
 *
 * Why by hand, chosen on measurements. `npm run bench -- shell` prints, in
 * one run (load average ~25 on the 2-core machine): whole-process start-up
 * with one parse, CPU, `node -e 0` 0.12 s, this parser 0.13, mvdan-sh by
 * require 0.29, by import 0.50; 957 of 957 corpus RUN scripts identical to
 * mvdan/sh; 91,291 scripts per CPU-second against mvdan-sh's 8,715 (10.5x).
 * - mvdan-sh (GopherJS, unmaintained): the costs above; V8's code cache
 *   (test-helpers/mvdan-load.ts) took its load from ~0.15 to ~0.09 CPU-s.
 * - sh-syntax (mvdan/sh as WebAssembly, maintained), measured once outside
 *   the project: async only, and it instantiates the WebAssembly module on
 *   every call (~35 ms per script).
 * - tree-sitter-bash via web-tree-sitter, measured the same way: async
 *   initialisation, ~0.12 CPU-s to load, and an error-tolerant tree that does
 *   not say whether a script is valid shell.
 * - this parser: linear in the script (no recursion per `&&` link, so 5,000
 *   links parse; nesting is bounded).
 *
 * What it does not model (no rule reads it): the insides of `[[ ]]`, `(( ))`,
 * `let`, parameter expansions and arithmetic, which are only matched.
 */

/** One simple command as the rules see it (offsets are UTF-16 units into the script). */
export interface ParsedCommand {
  start: number;
  end: number;
  name: string;
  args: string[];
  assigns: string[];
  /** Word indexes (0 = name) that are not plain literals. */
  dynamic: number[];
}

export interface ShellParseResult {
  commands: ParsedCommand[];
  error?: { message: string; offset: number };
}

/** A syntax error at an offset of the script. */
export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Deeper nesting than this is refused (mvdan itself overflowed the stack near 1,000 levels). */
export const MAX_SHELL_DEPTH = 500;

const DECL = new Set(["declare", "local", "export", "readonly", "typeset", "nameref"]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ASSIGN = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;
/** Words that end a list when they stand where a command would. */
const CLOSERS = new Set(["then", "elif", "else", "fi", "do", "done", "esac", "}"]);

interface Word {
  start: number;
  end: number;
  /** Quotes removed, everything else as written (mvdan's literal values keep backslashes). */
  text: string;
  literal: boolean;
  /** Unquoted and without expansions: can be a reserved word. */
  plain: boolean;
  /** Commands of `$(...)`, backticks and `<(...)` in this word, in order. */
  inner: ParsedCommand[];
}

const isBlank = (c: string | undefined) => c === " " || c === "\t" || c === "\r";
const META = new Set([" ", "\t", "\r", "\n", ";", "&", "|", "(", ")", "<", ">"]);
/** [A-Za-z{}], the letters of a reserved word (a regular expression per character cost more than the parse). */
const isWordLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 123 || c === 125;
/** [A-Za-z0-9_], the characters of a variable name. */
const isNameChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
/** ASCII codes that end a run of ordinary word characters: META, escapes, quotes, expansions. */
const WORD_STOP = new Uint8Array(128);
for (const c of [...META, "\\", "`", "'", '"', "$"]) WORD_STOP[c.charCodeAt(0)] = 1;

class Parser {
  private pos = 0;
  private depth = 0;
  private heredocs: { delim: string; strip: boolean }[] = [];
  /** Inside backquotes an unescaped backquote ends the list. */
  private backquote = 0;

  constructor(private readonly src: string) {}

  run(): ParsedCommand[] {
    const out: ParsedCommand[] = [];
    this.list(out, null);
    if (this.pos < this.src.length) this.unexpected();
    return out;
  }

  private fail(message: string, at = this.pos): never {
    throw new ShellSyntaxError(message, at);
  }

  private enter(): void {
    if (++this.depth > MAX_SHELL_DEPTH) this.fail("the script is nested too deeply for the shell parser");
  }

  private peek(n = 0): string | undefined {
    return this.src[this.pos + n];
  }

  private startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  /** Spaces, tabs, line continuations and comments; not newlines. */
  private blanks(): void {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (isBlank(c)) this.pos++;
      else if (c === "\\" && s[this.pos + 1] === "\n") this.pos += 2;
      else if (c === "#") {
        // Inside backquotes the closing backquote also ends a comment.
        while (this.pos < s.length && s[this.pos] !== "\n" && !(s[this.pos] === "`" && this.backquote > 0))
          this.pos++;
      } else return;
    }
  }

  /** Blanks and newlines (reading pending heredoc bodies at each newline). */
  private newlines(): void {
    for (;;) {
      this.blanks();
      if (this.peek() !== "\n") return;
      this.pos++;
      this.readHeredocs();
    }
  }

  private readHeredocs(): void {
    const s = this.src;
    for (const h of this.heredocs) {
      for (;;) {
        if (this.pos >= s.length) return; // mvdan accepts a body that runs to the end
        let eol = s.indexOf("\n", this.pos);
        if (eol < 0) eol = s.length;
        let line = s.slice(this.pos, eol);
        if (h.strip) line = line.replace(/^\t+/, "");
        this.pos = Math.min(eol + 1, s.length);
        if (line === h.delim) break;
      }
    }
    this.heredocs = [];
  }

  /** At a token that ends a list here: EOF, `)`, `;;`-like, a closer word, or a closing backquote. */
  private atListEnd(closer: string | null): boolean {
    const c = this.peek();
    if (c === undefined) return true;
    if (c === ")") return true;
    if (c === "`" && this.backquote > 0) return true;
    if (c === ";" && this.peek(1) === ";") return true;
    if (c === ";" && this.peek(1) === "&") return true;
    if (closer === null) return false;
    const w = this.peekPlainWord();
    return w !== undefined && (CLOSERS.has(w) || w === closer);
  }

  /** The plain word at the cursor, without consuming it. */
  private peekPlainWord(): string | undefined {
    const s = this.src;
    let i = this.pos;
    while (i < s.length && isWordLetter(s.charCodeAt(i))) i++;
    if (i === this.pos) return undefined;
    const next = s[i];
    if (next !== undefined && !META.has(next)) return undefined;
    return s.slice(this.pos, i);
  }

  /** Statements until a list end; `closer` is the word the enclosing construct waits for. */
  private list(out: ParsedCommand[], closer: string | null): number {
    this.enter();
    let count = 0;
    for (;;) {
      this.newlines();
      if (this.atListEnd(closer ?? "")) break;
      this.andOr(out, closer);
      count++;
      this.blanks();
      const c = this.peek();
      if (c === ";" && this.peek(1) !== ";" && this.peek(1) !== "&") this.pos++;
      else if (c === "&" && this.peek(1) !== "&" && this.peek(1) !== ">") this.pos++;
      else if (c === "\n") continue;
      else break;
    }
    this.depth--;
    return count;
  }

  /** pipeline ((&& | ||) pipeline)*, as a loop: thousands of links stay flat. */
  private andOr(out: ParsedCommand[], closer: string | null): void {
    for (;;) {
      this.pipeline(out, closer);
      this.blanks();
      if (this.startsWith("&&") || this.startsWith("||")) {
        const op = this.src.slice(this.pos, this.pos + 2);
        this.pos += 2;
        this.newlines();
        if (this.atListEnd(closer ?? "") || this.peek() === ";" || this.peek() === "&" || this.peek() === "|")
          this.fail(`${op} must be followed by a statement`);
        continue;
      }
      return;
    }
  }

  private pipeline(out: ParsedCommand[], closer: string | null): void {
    this.blanks();
    if (this.peek() === "!" && (isBlank(this.peek(1)) || this.peek(1) === "\n")) {
      this.pos++;
      this.blanks();
    }
    for (;;) {
      this.command(out, closer);
      this.blanks();
      if (this.peek() === "|" && this.peek(1) !== "|") {
        const op = this.peek(1) === "&" ? "|&" : "|";
        this.pos += op.length;
        this.newlines();
        if (this.atListEnd(closer ?? "")) this.fail(`${op} must be followed by a statement`);
        continue;
      }
      return;
    }
  }

  private unexpected(): never {
    const c = this.peek();
    if (c === ")") this.fail("reached ) without matching (");
    if (c === ";" && this.peek(1) === ";") this.fail(";; can only be used in a case clause");
    const w = this.peekPlainWord();
    if (w !== undefined && CLOSERS.has(w)) this.fail(`"${w}" can only be used in its own construct`);
    this.fail(`unexpected ${JSON.stringify(c ?? "end of input")}`);
  }

  /** One command: compound, function or simple, with its redirections. */
  private command(out: ParsedCommand[], closer: string | null): void {
    this.blanks();
    const c = this.peek();
    if (
      c === undefined ||
      c === ";" ||
      (c === "&" && this.peek(1) !== ">") ||
      c === "|" ||
      c === ")" ||
      c === "\n"
    ) {
      if (c === ")" || (c === ";" && this.peek(1) === ";")) this.unexpected();
      this.fail(`${JSON.stringify(c ?? "end of input")} can only be used after a statement`);
    }
    if (c === "(") {
      if (this.peek(1) === "(") {
        this.skipBalanced("((", "))");
      } else {
        this.pos++;
        this.list(out, null);
        if (this.peek() !== ")") this.fail("reached end of input without matching ( with )");
        this.pos++;
      }
      this.redirects(out);
      return;
    }
    const w = this.peekPlainWord();
    switch (w) {
      case "{":
        this.pos++;
        this.list(out, "}");
        this.expectWord("}", "reached end of input without matching { with }");
        this.redirects(out);
        return;
      case "if":
        this.ifClause(out);
        this.redirects(out);
        return;
      case "while":
      case "until":
        this.pos += w.length;
        this.list(out, "do");
        this.expectWord("do", `${w} must be followed by do`);
        this.list(out, "done");
        this.expectWord("done", `${w} statement must end with done`);
        this.redirects(out);
        return;
      case "for":
      case "select":
        this.forClause(out, w);
        this.redirects(out);
        return;
      case "case":
        this.caseClause(out);
        this.redirects(out);
        return;
      case "function":
        this.pos += w.length;
        this.blanks();
        this.word();
        this.blanks();
        if (this.startsWith("()")) this.pos += 2;
        this.newlines();
        this.command(out, closer);
        return;
      case "coproc":
        this.pos += w.length;
        this.blanks();
        this.command(out, closer);
        return;
      case "time":
        this.pos += w.length;
        this.blanks();
        if (this.startsWith("-p") && META.has(this.peek(2) ?? " ")) this.pos += 2;
        this.blanks();
        if (this.atListEnd(closer ?? "") || this.peek() === ";" || this.peek() === "\n") return;
        this.pipeline(out, closer);
        return;
      case undefined:
        break;
      default:
        if (CLOSERS.has(w)) this.unexpected();
    }
    if (this.startsWith("[[") && META.has(this.peek(2) ?? " ")) {
      this.skipTest();
      this.redirects(out);
      return;
    }
    this.simple(out);
  }

  private expectWord(word: string, message: string): void {
    this.newlines();
    if (this.peekPlainWord() !== word) this.fail(message);
    this.pos += word.length;
  }

  private ifClause(out: ParsedCommand[]): void {
    const start = this.pos;
    this.pos += 2;
    for (;;) {
      if (this.list(out, "then") === 0) this.fail("if must be followed by a statement list", start);
      this.expectWord("then", "if <cond> must be followed by then");
      if (this.list(out, "fi") === 0) this.fail('"then" must be followed by a statement list');
      this.newlines();
      const w = this.peekPlainWord();
      if (w === "elif") {
        this.pos += 4;
        continue;
      }
      if (w === "else") {
        this.pos += 4;
        if (this.list(out, "fi") === 0) this.fail('"else" must be followed by a statement list');
      }
      this.expectWord("fi", "if statement must end with fi");
      return;
    }
  }

  private forClause(out: ParsedCommand[], kw: string): void {
    this.pos += kw.length;
    this.blanks();
    if (this.startsWith("((")) {
      this.skipBalanced("((", "))");
    } else {
      const name = this.word();
      if (!NAME.test(name.text)) this.fail(`${kw} must be followed by a literal`, name.start);
      this.blanks();
      if (this.peekPlainWord() === "in") {
        this.pos += 2;
        for (;;) {
          this.blanks();
          const c = this.peek();
          if (c === undefined || c === ";" || c === "\n" || c === "&" || c === ")") break;
          this.word();
        }
      }
    }
    this.blanks();
    if (this.peek() === ";") this.pos++;
    this.newlines();
    if (this.peekPlainWord() === "{") {
      this.pos++;
      this.list(out, "}");
      this.expectWord("}", "reached end of input without matching { with }");
      return;
    }
    this.expectWord("do", `${kw} foo [in words] must be followed by do`);
    this.list(out, "done");
    this.expectWord("done", `${kw} statement must end with done`);
  }

  private caseClause(out: ParsedCommand[]): void {
    this.pos += 4;
    this.blanks();
    this.word();
    this.newlines();
    if (this.peekPlainWord() !== "in") this.fail("case x must be followed by in");
    this.pos += 2;
    for (;;) {
      this.newlines();
      if (this.peekPlainWord() === "esac") break;
      if (this.peek() === undefined) this.fail("case statement must end with esac");
      if (this.peek() === "(") this.pos++;
      for (;;) {
        this.blanks();
        if (this.peek() === ")" || this.peek() === undefined)
          this.fail("case patterns must consist of words");
        this.word();
        this.blanks();
        if (this.peek() === "|") {
          this.pos++;
          continue;
        }
        break;
      }
      if (this.peek() !== ")") this.fail("case patterns must be separated with |");
      this.pos++;
      this.list(out, "esac");
      this.newlines();
      if (this.startsWith(";;&")) this.pos += 3;
      else if (this.startsWith(";;") || this.startsWith(";&")) this.pos += 2;
      else if (this.peekPlainWord() !== "esac") this.fail("case statement must end with esac");
    }
    this.pos += 4;
  }

  /** `[[ ... ]]`: matched up to its `]]`, not modelled. */
  private skipTest(): void {
    const start = this.pos;
    this.pos += 2;
    for (;;) {
      this.blanks();
      if (this.peek() === "\n") {
        this.pos++;
        continue;
      }
      if (this.peek() === undefined) this.fail("reached end of input without matching [[ with ]]", start);
      if (this.startsWith("]]") && META.has(this.peek(2) ?? " ")) {
        this.pos += 2;
        return;
      }
      if (META.has(this.peek() as string)) {
        this.pos++;
        continue;
      }
      this.word();
    }
  }

  /** `((...))` at a command's place or in `for ((...))`. */
  private skipBalanced(open: string, close: string): void {
    const start = this.pos;
    this.pos += open.length;
    let level = 0;
    const s = this.src;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === "(") level++;
      else if (c === ")") {
        if (level === 0 && this.startsWith(close)) {
          this.pos += close.length;
          return;
        }
        level--;
      } else if (c === "$" || c === "`" || c === '"' || c === "'") {
        this.wordPart([], { text: "", literal: true });
        continue;
      }
      this.pos++;
    }
    this.fail(`reached end of input without matching ${open} with ${close}`, start);
  }

  private redirects(out: ParsedCommand[]): void {
    for (;;) {
      this.blanks();
      if (!this.redirect(out)) return;
    }
  }

  /** A redirection at the cursor (consumed, its word's substitutions into `out`), or false. */
  private redirect(out: ParsedCommand[]): boolean {
    const s = this.src;
    let i = this.pos;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++; // 0-9
    if (i === this.pos && s[i] === "{") {
      const close = s.indexOf("}", i);
      if (close > i && NAME.test(s.slice(i + 1, close)) && (s[close + 1] === "<" || s[close + 1] === ">"))
        i = close + 1;
    }
    const c = s[i];
    let op: string | undefined;
    if (c === "&" && s[i + 1] === ">") op = s[i + 2] === ">" ? "&>>" : "&>";
    else if (c === ">") op = [">>", ">&", ">|"].find((o) => s.startsWith(o, i)) ?? ">";
    else if (c === "<") {
      if (s[i + 1] === "(") return false;
      op = ["<<<", "<<-", "<<", "<&", "<>"].find((o) => s.startsWith(o, i)) ?? "<";
    }
    if (op === undefined || (c === ">" && s[i + 1] === "(")) return false;
    this.pos = i + op.length;
    this.blanks();
    const ch = this.peek();
    if (ch === undefined || META.has(ch)) this.fail(`${op} must be followed by a word`);
    const w = this.word();
    if (op === "<<" || op === "<<-")
      this.heredocs.push({ delim: w.text.replace(/\\(.)/g, "$1"), strip: op === "<<-" });
    else out.push(...w.inner);
    return true;
  }

  private simple(out: ParsedCommand[]): void {
    const assigns: Word[] = [];
    const words: Word[] = [];
    const later: ParsedCommand[] = [];
    let decl: string | undefined;
    let redirected = false;
    let start = -1;
    let end = -1;
    for (;;) {
      this.blanks();
      const c = this.peek();
      if (c === undefined || c === "\n" || c === ";" || c === "|" || c === ")") break;
      if (c === "`" && this.backquote > 0) break;
      if (c === "&" && this.peek(1) !== ">") break;
      if (this.redirect(later)) {
        redirected = true;
        continue;
      }
      if (c === "(") {
        // `name() { ...; }`: a function declaration.
        if (
          words.length === 1 &&
          assigns.length === 0 &&
          /^\(\s*\)/.test(this.src.slice(this.pos, this.pos + 8))
        ) {
          this.pos = this.src.indexOf(")", this.pos) + 1;
          this.newlines();
          this.command(out, null);
          return;
        }
        this.fail("a command can only contain words and redirects");
      }
      const w = this.word();
      if (start < 0) start = w.start;
      end = w.end;
      if (words.length === 0 && decl === undefined && ASSIGN.test(w.text) && this.isAssignWord(w)) {
        assigns.push(w);
        continue;
      }
      if (words.length === 0 && assigns.length === 0 && w.plain && DECL.has(w.text)) decl = w.text;
      words.push(w);
    }
    if (words.length === 0 && assigns.length === 0) {
      if (!redirected) this.fail("a command must contain words or redirects");
    }
    if (decl !== undefined) {
      out.push({
        start,
        end,
        name: decl,
        args: words.slice(1).map((w) => this.src.slice(w.start, w.end)),
        assigns: [],
        dynamic: [],
      });
      out.push(...later);
      return;
    }
    const first = words[0];
    if (first !== undefined && !(first.plain && first.text === "let")) {
      const dynamic: number[] = [];
      words.forEach((w, k) => {
        if (!w.literal) dynamic.push(k);
      });
      out.push({
        start,
        end,
        name: first.text,
        args: words.slice(1).map((w) => w.text),
        assigns: assigns.map((a) => this.src.slice(a.start, a.end)),
        dynamic,
      });
      for (const w of words) out.push(...w.inner);
    }
    for (const a of assigns) out.push(...a.inner);
    out.push(...later);
  }

  /** An assignment word begins with `name=` written literally (not quoted, not expanded). */
  private isAssignWord(w: Word): boolean {
    const eq = this.src.indexOf("=", w.start);
    return ASSIGN.test(this.src.slice(w.start, eq + 1));
  }

  /** One word at the cursor. */
  private word(): Word {
    const start = this.pos;
    const acc = { text: "", literal: true };
    const inner: ParsedCommand[] = [];
    let plain = true;
    const s = this.src;
    while (this.pos < s.length) {
      const c = s[this.pos] as string;
      if (c === "\\") {
        if (s[this.pos + 1] === "\n") {
          this.pos += 2;
          continue;
        }
        acc.text += s.slice(this.pos, this.pos + 2);
        this.pos += 2;
        plain = false;
        continue;
      }
      if (c === "`" && this.backquote > 0) break;
      if ((c === "<" || c === ">") && s[this.pos + 1] === "(") {
        plain = false;
        acc.literal = false;
        const at = this.pos;
        this.pos += 2;
        this.subList(inner, ")");
        acc.text += s.slice(at, this.pos);
        continue;
      }
      if (c === "(" && this.pos > start) {
        const before = s.slice(start, this.pos);
        if (/^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=$/.test(before)) {
          // name=(a b c): an array assignment.
          this.arrayValue(inner);
          acc.text = s.slice(start, this.pos);
          plain = false;
          continue;
        }
        if ("@!+*?".includes(s[this.pos - 1] as string)) {
          // extglob @(a|b)
          const at = this.pos;
          this.skipParens();
          acc.text += s.slice(at, this.pos);
          acc.literal = false;
          plain = false;
          continue;
        }
      }
      if (META.has(c)) break;
      if (c === "'" || c === '"' || c === "$" || c === "`") {
        plain = false;
        this.wordPart(inner, acc);
        continue;
      }
      // A run of ordinary characters, appended as one slice: adding them one
      // by one built a string per character (the parser's main allocation).
      let j = this.pos;
      while (j < s.length) {
        const code = s.charCodeAt(j);
        if (code < 128 && WORD_STOP[code] === 1) break;
        if (code === 42 || code === 63 || code === 91) acc.literal = false; // * ? [
        j++;
      }
      acc.text += s.slice(this.pos, j);
      this.pos = j;
    }
    if (this.pos === start) this.fail(`unexpected ${JSON.stringify(s[start] ?? "end of input")}`);
    return { start, end: this.pos, text: acc.text, literal: acc.literal, plain, inner };
  }

  private arrayValue(inner: ParsedCommand[]): void {
    const start = this.pos;
    this.pos++;
    for (;;) {
      this.newlines();
      const c = this.peek();
      if (c === undefined) this.fail("reached end of input without matching ( with )", start);
      if (c === ")") {
        this.pos++;
        return;
      }
      const w = this.word();
      inner.push(...w.inner);
    }
  }

  private skipParens(): void {
    const start = this.pos;
    let level = 0;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === "(") level++;
      else if (c === ")" && --level === 0) {
        this.pos++;
        return;
      }
      this.pos++;
    }
    this.fail("reached end of input without matching ( with )", start);
  }

  /** A quoted part or an expansion; appends its value to `acc` and its commands to `inner`. */
  private wordPart(inner: ParsedCommand[], acc: { text: string; literal: boolean }): void {
    const s = this.src;
    const c = s[this.pos];
    if (c === "'") {
      const close = s.indexOf("'", this.pos + 1);
      if (close < 0) this.fail("reached end of input without closing quote '");
      acc.text += s.slice(this.pos + 1, close);
      this.pos = close + 1;
      return;
    }
    if (c === '"') {
      this.doubleQuoted(inner, acc);
      return;
    }
    if (c === "`") {
      const at = this.pos;
      this.pos++;
      this.backquote++;
      this.list(inner, null);
      this.backquote--;
      if (this.peek() !== "`") this.fail("reached end of input without closing quote `", at);
      this.pos++;
      acc.text += s.slice(at, this.pos);
      acc.literal = false;
      return;
    }
    // `$`
    const at = this.pos;
    const n = s[this.pos + 1];
    if (n === "'") {
      // $'...' (ANSI-C): mvdan keeps the escapes as written.
      let i = this.pos + 2;
      while (i < s.length && s[i] !== "'") i += s[i] === "\\" ? 2 : 1;
      if (i >= s.length) this.fail("reached end of input without closing quote '");
      acc.text += s.slice(this.pos + 2, i);
      this.pos = i + 1;
      return;
    }
    if (n === '"') {
      this.pos++;
      this.doubleQuoted(inner, acc);
      return;
    }
    if (n === "(" && s[this.pos + 2] === "(") {
      this.skipArithmetic();
    } else if (n === "(") {
      this.pos += 2;
      this.subList(inner, ")");
    } else if (n === "{") {
      this.paramExp();
    } else if (n === "[") {
      const close = s.indexOf("]", this.pos);
      if (close < 0) this.fail("reached end of input without matching $[ with ]");
      this.pos = close + 1;
    } else if (n !== undefined && /[A-Za-z_]/.test(n)) {
      this.pos++;
      while (this.pos < s.length && isNameChar(s.charCodeAt(this.pos))) this.pos++;
    } else if (n !== undefined && /[0-9@*#?$!-]/.test(n)) {
      this.pos += 2;
    } else {
      // A lone `$` is a literal dollar sign.
      acc.text += "$";
      this.pos++;
      return;
    }
    acc.text += s.slice(at, this.pos);
    acc.literal = false;
  }

  private doubleQuoted(inner: ParsedCommand[], acc: { text: string; literal: boolean }): void {
    const s = this.src;
    const open = this.pos;
    this.pos++;
    while (this.pos < s.length) {
      const c = s[this.pos] as string;
      if (c === '"') {
        this.pos++;
        return;
      }
      if (c === "\\") {
        if (s[this.pos + 1] === "\n") {
          this.pos += 2;
          continue;
        }
        acc.text += s.slice(this.pos, this.pos + 2);
        this.pos += 2;
        continue;
      }
      if (c === "$" || c === "`") {
        this.wordPart(inner, acc);
        continue;
      }
      // A run of ordinary characters, appended as one slice (as in word()).
      let j = this.pos;
      while (j < s.length) {
        const code = s.charCodeAt(j);
        if (code === 34 || code === 92 || code === 36 || code === 96) break; // " \ $ `
        if (code === 42 || code === 63 || code === 91) acc.literal = false; // * ? [
        j++;
      }
      acc.text += s.slice(this.pos, j);
      this.pos = j;
    }
    this.fail('reached end of input without closing quote "', open);
  }

  /** `$( list )` or `<( list )`: the cursor is after the opening parenthesis. */
  private subList(inner: ParsedCommand[], close: string): void {
    const at = this.pos;
    const outer = this.heredocs;
    const bq = this.backquote;
    this.heredocs = [];
    this.backquote = 0;
    this.list(inner, null);
    this.backquote = bq;
    this.heredocs = outer;
    this.newlines();
    if (this.peek() !== close) this.fail(`reached end of input without matching ( with ${close}`, at - 2);
    this.pos++;
  }

  /** `${...}`: matched (quotes and nested expansions included), not modelled. */
  private paramExp(): void {
    const start = this.pos;
    this.pos += 2;
    const s = this.src;
    const discard: ParsedCommand[] = [];
    const acc = { text: "", literal: true };
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === "}") {
        this.pos++;
        return;
      }
      if (c === "\\") {
        this.pos += 2;
        continue;
      }
      if (c === "'" || c === '"' || c === "$" || c === "`") {
        this.wordPart(discard, acc);
        continue;
      }
      this.pos++;
    }
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's ${, not a placeholder
    this.fail("reached end of input without matching ${ with }", start);
  }

  /** `$(( ... ))`. */
  private skipArithmetic(): void {
    const start = this.pos;
    this.pos += 3;
    let level = 0;
    const s = this.src;
    const discard: ParsedCommand[] = [];
    const acc = { text: "", literal: true };
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === "(") level++;
      else if (c === ")") {
        if (level === 0) {
          if (s[this.pos + 1] !== ")") this.fail("reached ) without matching $(( with ))");
          this.pos += 2;
          return;
        }
        level--;
      } else if (c === "$" || c === "'" || c === '"' || c === "`") {
        this.wordPart(discard, acc);
        continue;
      }
      this.pos++;
    }
    this.fail("reached end of input without matching $(( with ))", start);
  }
}

/** Parses one script: its simple commands, or the first syntax error and where it is. */
export function parseShellCommands(script: string): ShellParseResult {
  try {
    return { commands: new Parser(script).run() };
  } catch (e) {
    if (e instanceof ShellSyntaxError)
      return { commands: [], error: { message: e.message, offset: e.offset } };
    if (e instanceof RangeError)
      return {
        commands: [],
        error: { message: "the script is nested too deeply for the shell parser", offset: 0 },
      };
    throw e;
  }
}
