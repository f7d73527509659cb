/**
 * The one result type every rule produces and every output format reads.
 */

export type Severity = "error" | "warning" | "info" | "style";
export type Category = "size" | "cache" | "security" | "correctness" | "maintainability";

/** Most severe first; a finding fails the run when its rank is <= the threshold's. */
export const SEVERITIES: readonly Severity[] = ["error", "warning", "info", "style"];
export const CATEGORIES: readonly Category[] = [
  "size",
  "cache",
  "security",
  "correctness",
  "maintainability",
];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** 1-based line and column; `end` is exclusive in column terms (points just past the last character). */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  file: string;
  start: Position;
  end: Position;
}

/** One text replacement in the original source, by character offsets (end exclusive). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Autofix {
  /** What the fix does, in a few words ("add --no-install-recommends"). */
  title: string;
  edits: TextEdit[];
}

export interface Finding {
  ruleId: string;
  slug: string;
  severity: Severity;
  category: Category;
  message: string;
  range: Range;
  /** The stage the finding is in (its name, or its index as a string), when it is in one. */
  stage?: string;
  /** What to do about it. */
  hint: string;
  fix?: Autofix;
  /** The hadolint code this rule maps to, when one does. */
  hadolint?: string;
}

/** The id of the pseudo-rule for Dockerfiles that do not parse. */
export const PARSE_RULE_ID = "SS000";
/** The id of the pseudo-rule for pragma and config problems (unknown ids). */
export const PRAGMA_RULE_ID = "SS001";
/** The engine's own finding when a file used up its lint budget and some rules did not finish. */
export const BUDGET_RULE_ID = "SS002";
