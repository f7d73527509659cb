/**
 * BuildKit's word lexer (frontend/dockerfile/shell): quote removal, escapes
 * and `$VAR` / `${VAR...}` expansion with BuildKit's exact semantics. Written
 * here because BuildKit's behaviour (its escape token, its subset of
 * modifiers, its word splitting) differs from any general shell library.
 */

export class LexError extends Error {}

/** A word over one of DOCKERFILE_LIMITS: never tolerated, even by lenient callers. */
export class LexLimitError extends LexError {}

import { DOCKERFILE_LIMITS } from "./limits.js";

const SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const SPACE_CLASS = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
/** Runs of spaces (group 1) or of anything else. */
const RUNS = new RegExp(`([${SPACE_CLASS}]+)|[^${SPACE_CLASS}]+`, "gu");
const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;

export function isSpace(ch: string): boolean {
  return SPACE.test(ch);
}

export interface LexOptions {
  escapeToken?: string;
  rawQuotes?: boolean;
  rawEscapes?: boolean;
  skipProcessQuotes?: boolean;
  skipUnsetEnv?: boolean;
  /** Longest result allowed (default DOCKERFILE_LIMITS.maxExpandedLength). */
  maxLength?: number;
}

export interface LexResult {
  result: string;
  words: string[];
  matched: Set<string>;
  unmatched: Set<string>;
}

type Lookup = (name: string) => string | undefined;

const EOF = "";

class Words {
  buf = "";
  words: string[] = [];
  inWord = false;
  addChar(ch: string): void {
    if (isSpace(ch) && this.inWord) {
      if (this.buf.length !== 0) {
        this.words.push(this.buf);
        this.buf = "";
        this.inWord = false;
      }
    } else if (!isSpace(ch)) {
      this.addRawChar(ch);
    }
  }
  addRawChar(ch: string): void {
    this.buf += ch;
    this.inWord = true;
  }
  /** addChar over each character, a run at a time: expanded values can be a megabyte long. */
  addString(s: string): void {
    for (const m of s.matchAll(RUNS)) {
      if (m[1] !== undefined) {
        if (this.inWord && this.buf.length !== 0) {
          this.words.push(this.buf);
          this.buf = "";
          this.inWord = false;
        }
      } else {
        this.addRawString(m[0]);
      }
    }
  }
  addRawString(s: string): void {
    this.buf += s;
    this.inWord = true;
  }
  get(): string[] {
    if (this.buf.length > 0) {
      this.words.push(this.buf);
      this.buf = "";
      this.inWord = false;
    }
    return this.words;
  }
}

class ShellWord {
  private pos = 0;
  private depth = 0;
  private readonly maxLength: number;
  private rawEscapes: boolean;
  readonly matched = new Set<string>();
  readonly unmatched = new Set<string>();
  private readonly esc: string;

  constructor(
    private readonly src: string,
    private readonly lookup: Lookup,
    private readonly opts: LexOptions,
  ) {
    this.rawEscapes = opts.rawEscapes === true;
    this.esc = opts.escapeToken ?? "\\";
    this.maxLength = opts.maxLength ?? DOCKERFILE_LIMITS.maxExpandedLength;
  }

  /** Checked wherever a result grows by an expansion, so a doubling chain stops at the cap. */
  private bounded(s: string): string {
    if (s.length > this.maxLength)
      throw new LexLimitError(
        `expands to more than ${this.maxLength} characters (the limit on one expanded value)`,
      );
    return s;
  }

  private peek(): string {
    if (this.pos >= this.src.length) return EOF;
    const cp = this.src.codePointAt(this.pos) ?? 0;
    return cp > 0xffff ? this.src.slice(this.pos, this.pos + 2) : (this.src[this.pos] as string);
  }

  private next(): string {
    const ch = this.peek();
    this.pos += ch.length;
    return ch;
  }

  processStopOn(stop: string | null, rawEscapes: boolean): { result: string; words: string[] } {
    let result = "";
    const words = new Words();
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      while (this.peek() !== EOF) {
        const ch = this.peek();
        if (stop !== null && ch === stop) {
          this.next();
          return { result, words: words.get() };
        }
        let special: (() => string) | undefined;
        if (ch === "$") special = () => this.processDollar();
        else if (ch === "<") special = () => this.processPossibleHeredoc();
        else if (!this.opts.skipProcessQuotes && ch === "'") special = () => this.processSingleQuote();
        else if (!this.opts.skipProcessQuotes && ch === '"') special = () => this.processDoubleQuote();
        if (special) {
          const tmp = special();
          result = this.bounded(result + tmp);
          if (ch === "$") words.addString(tmp);
          else words.addRawString(tmp);
          continue;
        }
        let c = this.next();
        if (c === this.esc) {
          if (this.rawEscapes) {
            words.addRawChar(c);
            result += c;
          }
          c = this.next();
          if (c === EOF) break;
          words.addRawChar(c);
        } else {
          words.addChar(c);
        }
        result += c;
      }
      if (stop !== null) throw new LexError(`unexpected end of statement while looking for matching ${stop}`);
      return { result, words: words.get() };
    } finally {
      this.rawEscapes = saved;
    }
  }

  private processSingleQuote(): string {
    let result = "";
    const open = this.next();
    if (this.opts.rawQuotes) result += open;
    for (;;) {
      const ch = this.next();
      if (ch === EOF)
        throw new LexError("unexpected end of statement while looking for matching single-quote");
      if (ch === "'") {
        if (this.opts.rawQuotes) result += ch;
        return result;
      }
      result += ch;
    }
  }

  private processDoubleQuote(): string {
    let result = "";
    const open = this.next();
    if (this.opts.rawQuotes) result += open;
    for (;;) {
      const p = this.peek();
      if (p === EOF)
        throw new LexError("unexpected end of statement while looking for matching double-quote");
      if (p === '"') {
        const ch = this.next();
        if (this.opts.rawQuotes) result += ch;
        return result;
      }
      if (p === "$") {
        result = this.bounded(result + this.processDollar());
        continue;
      }
      let ch = this.next();
      if (ch === this.esc) {
        if (this.rawEscapes) result += ch;
        const n = this.peek();
        if (n === EOF) continue;
        if (n === '"' || n === "$" || n === this.esc) ch = this.next();
      }
      result += ch;
    }
  }

  private getEnv(name: string): string | undefined {
    const v = this.lookup(name);
    if (v !== undefined) this.matched.add(name);
    else this.unmatched.add(name);
    return v;
  }

  private processName(): string {
    let name = "";
    while (this.peek() !== EOF) {
      const ch = this.peek();
      if (name.length === 0 && DIGIT.test(ch)) {
        while (this.peek() !== EOF && DIGIT.test(this.peek())) name += this.next();
        return name;
      }
      if (name.length === 0 && "@*#?-$!0".includes(ch)) {
        return this.next();
      }
      if (!LETTER.test(ch) && !DIGIT.test(ch) && ch !== "_") break;
      name += this.next();
    }
    return name;
  }

  private processDollar(): string {
    this.next();
    if (this.peek() !== "{") {
      const name = this.processName();
      if (name === "") return "$";
      const value = this.getEnv(name);
      if (value === undefined && this.opts.skipUnsetEnv) return `$${name}`;
      return value ?? "";
    }
    this.next();
    // Each level recurses through processStopOn: the depth is capped instead of trusting the stack.
    if (this.depth >= DOCKERFILE_LIMITS.maxNesting)
      throw new LexLimitError(`\${...} nested more than ${DOCKERFILE_LIMITS.maxNesting} levels deep`);
    this.depth++;
    try {
      return this.processBraced();
    } finally {
      this.depth--;
    }
  }

  private processBraced(): string {
    const p = this.peek();
    if (p === EOF) throw new LexError("syntax error: missing '}'");
    if (p === "{" || p === "}" || p === ":") throw new LexError("syntax error: bad substitution");
    const name = this.processName();
    let ch = this.next();
    let chs = ch;
    let nullIsUnset = false;
    if (ch === "}") {
      const value = this.getEnv(name);
      if (value === undefined && this.opts.skipUnsetEnv) return `\${${name}}`;
      return value ?? "";
    }
    if (ch === ":") {
      nullIsUnset = true;
      ch = this.next();
      chs += ch;
    }
    if (ch === "+" || ch === "-" || ch === "?" || ch === "#" || ch === "%") {
      const raw = ch === "#" || ch === "%";
      if (nullIsUnset && raw) throw new LexError(`unsupported modifier (${chs}) in substitution`);
      let word: string;
      try {
        word = this.processStopOn("}", raw).result;
      } catch (e) {
        if (e instanceof LexLimitError) throw e;
        if (this.peek() === EOF) throw new LexError("syntax error: missing '}'");
        throw e;
      }
      const value = this.getEnv(name);
      if (this.opts.skipUnsetEnv && value === undefined) return `\${${name}${chs}${word}}`;
      const set = value !== undefined;
      const v = value ?? "";
      switch (ch) {
        case "-":
          return !set || (nullIsUnset && v === "") ? word : v;
        case "+":
          return !set || (nullIsUnset && v === "") ? "" : word;
        case "?":
          if (!set) throw new LexError(`${name}: ${word !== "" ? word : "is not allowed to be unset"}`);
          if (nullIsUnset && v === "")
            throw new LexError(`${name}: ${word !== "" ? word : "is not allowed to be empty"}`);
          return v;
        default: {
          let greedy = false;
          let pattern = word;
          if (pattern.length > 0 && pattern[0] === ch) {
            greedy = true;
            pattern = pattern.slice(1);
          }
          return ch === "%" ? trimSuffix(pattern, v, greedy) : trimPrefix(pattern, v, greedy);
        }
      }
    }
    if (ch === "/" && !nullIsUnset) {
      const all = this.peek() === "/";
      if (all) this.next();
      let pattern: string;
      let replacement: string;
      try {
        pattern = this.processStopOn("/", true).result;
      } catch (e) {
        if (e instanceof LexLimitError) throw e;
        if (this.peek() === EOF) throw new LexError("syntax error: missing '/' in $" + "{}");
        throw e;
      }
      try {
        replacement = this.processStopOn("}", true).result;
      } catch (e) {
        if (e instanceof LexLimitError) throw e;
        if (this.peek() === EOF) throw new LexError("syntax error: missing '}'");
        throw e;
      }
      const value = this.getEnv(name);
      if (this.opts.skipUnsetEnv && value === undefined) return `\${${name}/${pattern}/${replacement}}`;
      const re = patternToRegex(pattern, true, false, all);
      return this.bounded((value ?? "").replace(re, () => replacement));
    }
    throw new LexError(`unsupported modifier (${chs}) in substitution`);
  }

  private processPossibleHeredoc(): string {
    this.next();
    if (this.peek() !== "<") return "<";
    this.next();
    let space = "";
    for (let n = this.peek(); n === "\t" || n === "\r" || n === " "; n = this.peek()) space += this.next();
    return `<<${space}`;
  }
}

/** A shell pattern (`*`, `?`, escapes; no brackets, as BuildKit) as a RegExp. */
function patternToRegex(pattern: string, greedy: boolean, anchored: boolean, global = false): RegExp {
  let out = anchored ? "^" : "";
  const star = greedy ? "[\\s\\S]*" : "[\\s\\S]*?";
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const t = chars[i] as string;
    if (t === "*") {
      out += star;
      continue;
    }
    if (t === "?") {
      out += "[\\s\\S]";
      continue;
    }
    if (t === "\\") {
      const n = chars[i + 1];
      if (n === "}" || n === "/") continue;
      i++;
      if (n !== "*" && n !== "?" && n !== "\\")
        throw new LexError(`invalid pattern (${pattern}) in substitution: invalid escape '\\${n ?? ""}'`);
      out += `\\${n}`;
      continue;
    }
    out += t.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
  }
  return new RegExp(out, global ? "gu" : "u");
}

function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  const m = patternToRegex(pattern, greedy, true).exec(value);
  return m ? value.slice(m[0].length) : value;
}

function reversePattern(pattern: string): string {
  const p = [...pattern];
  const out: string[] = new Array(p.length);
  const last = p.length - 1;
  for (let i = 0; i <= last; ) {
    const t = p[i] as string;
    const o = last - i;
    if (t === "\\" && i !== last) {
      out[o - 1] = t;
      out[o] = p[i + 1] as string;
      i += 2;
    } else {
      out[o] = t;
      i++;
    }
  }
  return out.join("");
}

function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  const rev = (s: string) => [...s].reverse().join("");
  return rev(trimPrefix(reversePattern(pattern), rev(value), greedy));
}

/** BuildKit's Lex.ProcessWord / ProcessWords in one call. Throws LexError. */
export function lexWord(word: string, lookup: Lookup, opts: LexOptions = {}): LexResult {
  const sw = new ShellWord(word, lookup, opts);
  try {
    const { result, words } = sw.processStopOn(null, opts.rawEscapes === true);
    return { result, words, matched: sw.matched, unmatched: sw.unmatched };
  } catch (e) {
    if (e instanceof LexError) {
      // The word itself can be megabytes long: quote only its start.
      const shown = word.length > 80 ? `${word.slice(0, 77)}...` : word;
      const Ctor = e instanceof LexLimitError ? LexLimitError : LexError;
      throw new Ctor(`failed to process "${shown}": ${e.message}`);
    }
    throw e;
  }
}
