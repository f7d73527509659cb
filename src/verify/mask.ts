import { createHash } from "node:crypto";
import type { HttpAnswer } from "./probes/http.js";

/**
 * Masking for differential verification: what differs between two runs of
 * the original (CSRF tokens, nonces, dates, ids) is not held against the
 * candidate. Bodies are compared token by token; a token is a run of
 * characters between delimiters, so a token that changed between the
 * original's runs is masked at its position and every other token must match.
 */

/** How one request's answers are compared. */
export type Comparison =
  | { kind: "exact" }
  | { kind: "masked"; positions: number[]; tokens: number; examples: string[] }
  /** The original's own two answers differ in shape (status, type or token count): compared on status and type only. */
  | { kind: "unstable"; what: string };

// Delimiters: whitespace, quotes, markup and JSON punctuation, but not ':'
// or '/': a time like 2026-12-06T04:55:15 or 04:55:15 stays one token, so a
// change in its seconds between the original's runs masks its minutes too
// (found by the bench: the minute then changed before the candidate's run).
const DELIMS = /([\s"'<>=&,;{}[\]()]+)/;

export function tokens(text: string): string[] {
  return text.split(DELIMS);
}

export const sha256 = (b: Buffer): string => createHash("sha256").update(b).digest("hex");

const mediaType = (ct: string) => ct.split(";")[0]?.trim().toLowerCase() ?? "";
const isText = (ct: string) => /^text\/|json|xml|javascript|ecmascript|svg/i.test(mediaType(ct));

/** Derives the comparison for one request from the original's two answers. */
export function learnMask(a: HttpAnswer, b: HttpAnswer): Comparison {
  if (a.status !== b.status) return { kind: "unstable", what: `status ${a.status} then ${b.status}` };
  if (mediaType(a.contentType) !== mediaType(b.contentType))
    return { kind: "unstable", what: `content type ${a.contentType} then ${b.contentType}` };
  if (a.bytes.equals(b.bytes)) return { kind: "exact" };
  if (!isText(a.contentType)) return { kind: "unstable", what: "binary body differs between runs" };
  const ta = tokens(a.body);
  const tb = tokens(b.body);
  if (ta.length !== tb.length) return { kind: "unstable", what: "body structure differs between runs" };
  const positions: number[] = [];
  const examples: string[] = [];
  for (let i = 0; i < ta.length; i++) {
    if (ta[i] !== tb[i]) {
      positions.push(i);
      if (examples.length < 3) examples.push(`${short(ta[i] ?? "")} / ${short(tb[i] ?? "")}`);
    }
  }
  return { kind: "masked", positions, tokens: ta.length, examples };
}

function short(s: string, n = 40): string {
  return s.length > n ? `${s.slice(0, n - 3)}...` : s;
}

/** Why the candidate's answer differs from the original's under the comparison, or undefined when it matches. */
export function difference(original: HttpAnswer, candidate: HttpAnswer, cmp: Comparison): string | undefined {
  if (original.status !== candidate.status)
    return `status ${candidate.status}, the original answers ${original.status}`;
  if (mediaType(original.contentType) !== mediaType(candidate.contentType))
    return `content type ${candidate.contentType || "(none)"}, the original answers ${original.contentType || "(none)"}`;
  if (cmp.kind === "unstable") return undefined;
  if (cmp.kind === "exact") {
    if (original.bytes.equals(candidate.bytes)) return undefined;
    return `body differs (${candidate.bytes.length} bytes, sha256 ${sha256(candidate.bytes).slice(0, 12)}; the original: ${original.bytes.length} bytes, ${sha256(original.bytes).slice(0, 12)})${firstDifference(original.body, candidate.body)}`;
  }
  const to = tokens(original.body);
  const tc = tokens(candidate.body);
  if (to.length !== tc.length)
    return `body differs beyond the masked tokens (${tc.length} tokens, the original ${to.length})${firstDifference(original.body, candidate.body)}`;
  const masked = new Set(cmp.positions);
  for (let i = 0; i < to.length; i++) {
    if (!masked.has(i) && to[i] !== tc[i])
      return `body differs at token ${i}: ${JSON.stringify(short(tc[i] ?? ""))}, the original ${JSON.stringify(short(to[i] ?? ""))}`;
  }
  return undefined;
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i >= a.length && i >= b.length) return "";
  const at = (s: string) => JSON.stringify(short(s.slice(Math.max(0, i - 10), i + 30), 40));
  return `; first difference at character ${i}: ${at(b)}, the original ${at(a)}`;
}
