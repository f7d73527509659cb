/**
 * Variable interpolation as the compose specification defines it: `$$`,
 * `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`,
 * `${NAME:?error}`, `${NAME?error}`, `${NAME:+alt}`, `${NAME+alt}` (a
 * default may itself hold `${...}`, as in compose v2). Written here because
 * no maintained npm package implements this grammar: dotenv-expand and shell
 * libraries differ on `$$`, the `?` forms and on what counts as invalid.
 */

export type Lookup = (name: string) => string | undefined;

export class InterpolationError extends Error {}

export interface Interpolated {
  value: string;
  /** Variables that were read but unset (compose warns and uses ""). */
  unset: string[];
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

export function interpolate(text: string, lookup: Lookup): Interpolated {
  const unset: string[] = [];
  const value = expand(text, lookup, unset, text);
  return { value, unset };
}

function readName(s: string, from: number): number {
  let i = from;
  if (i < s.length && NAME_START.test(s[i] as string)) {
    i++;
    while (i < s.length && NAME_CHAR.test(s[i] as string)) i++;
  }
  return i;
}

/** Index of the `}` closing a `${` whose body starts at `from`, or -1. */
function closingBrace(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === "$" && s[i + 1] === "$") i++;
    else if (s[i] === "$" && s[i + 1] === "{") {
      depth++;
      i++;
    } else if (s[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

function expand(s: string, lookup: Lookup, unset: string[], whole: string): string {
  let out = "";
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (ch !== "$") {
      out += ch;
      i++;
      continue;
    }
    const next = s[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
      continue;
    }
    if (next !== "{") {
      const end = readName(s, i + 1);
      if (end === i + 1) throw new InterpolationError(`invalid interpolation format in "${whole}"`);
      out += get(s.slice(i + 1, end), lookup, unset);
      i = end;
      continue;
    }
    const close = closingBrace(s, i + 2);
    if (close < 0) throw new InterpolationError(`invalid interpolation format in "${whole}": no closing "}"`);
    const body = s.slice(i + 2, close);
    const nameEnd = readName(body, 0);
    const name = body.slice(0, nameEnd);
    if (name === "") throw new InterpolationError(`invalid interpolation format in "${whole}"`);
    const rest = body.slice(nameEnd);
    out += substitute(name, rest, lookup, unset, whole);
    i = close + 1;
  }
  return out;
}

function get(name: string, lookup: Lookup, unset: string[]): string {
  const v = lookup(name);
  if (v === undefined) {
    if (!unset.includes(name)) unset.push(name);
    return "";
  }
  return v;
}

function substitute(name: string, rest: string, lookup: Lookup, unset: string[], whole: string): string {
  if (rest === "") return get(name, lookup, unset);
  const m = /^(:?)([-?+])([\s\S]*)$/.exec(rest);
  if (!m) throw new InterpolationError(`invalid interpolation format in "${whole}"`);
  const [, colon, op, arg = ""] = m;
  const v = lookup(name);
  // With ':' an empty value counts as unset.
  const missing = v === undefined || (colon === ":" && v === "");
  if (op === "-") return missing ? expand(arg, lookup, unset, whole) : (v as string);
  if (op === "+") return missing ? "" : expand(arg, lookup, unset, whole);
  if (missing) {
    const why = expand(arg, lookup, unset, whole);
    throw new InterpolationError(`required variable ${name} is missing a value${why ? `: ${why}` : ""}`);
  }
  return v as string;
}
