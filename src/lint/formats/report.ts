/** What every output format reads: the results of one lint run. */
import type { LintResult } from "../engine.js";
import type { Severity } from "../finding.js";

export interface LintReport {
  results: LintResult[];
  threshold: Severity | "none";
  /** Rule metadata for formats that describe rules (SARIF). */
  toolVersion: string;
}

export type FormatName =
  | "tty"
  | "json"
  | "sarif"
  | "markdown"
  | "checkstyle"
  | "codeclimate"
  | "gitlab_codeclimate";
export const FORMATS: readonly FormatName[] = [
  "tty",
  "json",
  "sarif",
  "markdown",
  "checkstyle",
  "codeclimate",
  "gitlab_codeclimate",
];
