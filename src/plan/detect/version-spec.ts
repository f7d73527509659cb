/**
 * Whether the interpreter of a local base satisfies a project's declared
 * range: `requires-python` (PEP 440 specifiers) and `engines.node` (npm
 * ranges). Hand-written for the subset projects write (comparisons, `~=`,
 * `==X.*`, `^`, `~`, `x` wildcards, `||`): the full grammars' libraries are
 * large, and an unknown form answers "cannot tell" rather than a refusal.
 */
import { InputError } from "../../errors.js";

type V = [number, number, number];

function parse(v: string): V | undefined {
  const m = /^v?(\d+)(?:\.(\d+|[x*]))?(?:\.(\d+|[x*]))?/.exec(v.trim());
  if (!m) return undefined;
  const n = (s: string | undefined) => (s === undefined || s === "x" || s === "*" ? 0 : Number(s));
  return [n(m[1]), n(m[2]), n(m[3])];
}

function cmp(a: V, b: V): number {
  for (let i = 0; i < 3; i++)
    if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) - (b[i] as number);
  return 0;
}

/** Parts given in a version ("3.11" has 2), for prefix matches. */
function parts(v: string): number {
  return v
    .trim()
    .replace(/^v/, "")
    .split(".")
    .filter((p) => /^\d+$/.test(p)).length;
}

function one(op: string, ver: string, have: V): boolean | undefined {
  const want = parse(ver);
  if (!want) return undefined;
  const c = cmp(have, want);
  const n = parts(ver);
  const prefix = () => have.slice(0, n).every((x, i) => x === want[i]);
  switch (op) {
    case ">=":
      return c >= 0;
    case ">":
      return c > 0;
    case "<=":
      return c <= 0;
    case "<":
      return c < 0;
    case "==":
    case "=":
    case "":
      return ver.includes("*") || /x/i.test(ver) || n < 3 ? prefix() : c === 0;
    case "!=":
      return ver.includes("*") || n < 3 ? !prefix() : c !== 0;
    case "~=": {
      // ~=3.8 means >=3.8, ==3.*; ~=3.8.1 means >=3.8.1, ==3.8.*
      const up = have.slice(0, Math.max(1, n - 1)).every((x, i) => x === want[i]);
      return c >= 0 && up;
    }
    case "^": {
      const lead = want[0] !== 0 ? 1 : want[1] !== 0 ? 2 : 3;
      return c >= 0 && have.slice(0, lead).every((x, i) => x === want[i]);
    }
    case "~":
      return c >= 0 && have.slice(0, n >= 2 ? 2 : 1).every((x, i) => x === want[i]);
    default:
      return undefined;
  }
}

/** All comparisons of one clause (joined by commas or spaces) hold. */
function clause(text: string, have: V): boolean | undefined {
  const items = text
    .split(/,|\s+(?=[<>=!~^]|\d)/)
    .map((s) => s.trim())
    .filter(Boolean);
  let known = true;
  for (const item of items) {
    const hy = /^(\S+)\s+-\s+(\S+)$/.exec(item);
    const m = /^(>=|<=|~=|==|!=|>|<|=|\^|~)?\s*(.+)$/.exec(item);
    const r = hy ? undefined : m ? one(m[1] ?? "", m[2] ?? "", have) : undefined;
    if (r === false) return false;
    if (r === undefined) known = false;
  }
  return known ? true : undefined;
}

/** true / false, or undefined when the range has a form this reader does not know. */
export function satisfies(version: string, range: string): boolean | undefined {
  const have = parse(version);
  if (!have) return undefined;
  const alts = range.split("||").map((a) => a.trim());
  let unknown = false;
  for (const a of alts) {
    if (a === "" || a === "*" || a === "x") return true;
    const r = clause(a, have);
    if (r === true) return true;
    if (r === undefined) unknown = true;
  }
  return unknown ? undefined : false;
}

/** The interpreters of the local bases optimize builds on. */
export const BASE_INTERPRETERS = { python: "3.11.2", node: "22.23.3" } as const;

/**
 * Refuses a project whose declared interpreter range the local base cannot
 * satisfy (instead of building something else); returns a note when the
 * range has a form that cannot be read.
 */
export function checkInterpreter(
  kind: "python" | "node",
  range: string | undefined,
  source: string,
): string | undefined {
  if (!range) return undefined;
  const have = BASE_INTERPRETERS[kind];
  const ok = satisfies(have, range);
  if (ok === false)
    throw new InputError(
      `${source} asks for ${kind === "python" ? "Python" : "Node"} ${range}, but the local ${kind === "python" ? "python:3.11-slim" : "node:22-slim"} base has ${have}`,
      {
        location: { file: source.split(" ")[0] ?? source, line: 1, column: 1 },
        hint:
          kind === "python"
            ? "the offline package index holds CPython 3.11 wheels only: widen requires-python to include 3.11, or build on a base with a matching interpreter"
            : "widen engines.node to include 22, or pass a base with a matching Node (baseImage)",
      },
    );
  return ok === undefined
    ? `${source}: cannot read the range "${range}"; building on ${kind} ${have}`
    : undefined;
}
