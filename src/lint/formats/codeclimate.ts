/**
 * Code Climate issues, the two ways CI systems take them (hadolint's
 * `codeclimate` and `gitlab_codeclimate`):
 * - `codeclimate`: the engine specification's stream, one issue object after
 *   another, each ended by a NUL byte;
 * - `gitlab_codeclimate`: one JSON array, GitLab's Code Quality report, where
 *   every issue needs a `fingerprint` that stays the same while the finding does.
 */
import { createRequire } from "node:module";
import type { Category, Finding, Severity } from "../finding.js";
import type { LintReport } from "./report.js";

// node:crypto loads when a fingerprint is made (synchronously, hence require):
// its load costs about 7 ms of CPU, which every `slimstage lint FILE` paid
// for a format it did not ask for.
const require = createRequire(import.meta.url);

/** Code Climate's severities, as hadolint maps its own onto them. */
const SEVERITY: Record<Severity, string> = {
  error: "blocker",
  warning: "major",
  info: "info",
  style: "minor",
};

/** Code Climate's categories for slimstage's. */
const CATEGORY: Record<Category, string> = {
  size: "Performance",
  cache: "Performance",
  security: "Security",
  correctness: "Bug Risk",
  maintainability: "Style",
};

interface Issue {
  type: "issue";
  check_name: string;
  description: string;
  content: { body: string };
  categories: string[];
  location: { path: string; lines: { begin: number; end: number } };
  severity: string;
  fingerprint: string;
}

/**
 * Stable across runs and unrelated edits: the file, the rule and the text of
 * the finding's first line (not its line number, which moves when lines are
 * added above), and which occurrence of that text it is.
 */
function fingerprint(file: string, f: Finding, lineText: string, nth: number): string {
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  return createHash("sha256")
    .update([file, f.ruleId, lineText.trim(), f.message, String(nth)].join("\u0000"))
    .digest("hex")
    .slice(0, 32);
}

function issues(report: LintReport): Issue[] {
  const out: Issue[] = [];
  for (const r of report.results) {
    const lines = r.source.split("\n");
    const seen = new Map<string, number>();
    for (const f of r.findings) {
      const lineText = lines[f.range.start.line - 1] ?? "";
      const key = `${f.ruleId}\u0000${lineText.trim()}\u0000${f.message}`;
      const nth = (seen.get(key) ?? 0) + 1;
      seen.set(key, nth);
      out.push({
        type: "issue",
        check_name: f.ruleId,
        description: f.message,
        content: { body: `${f.hint}${f.hadolint ? ` (hadolint ${f.hadolint})` : ""}` },
        categories: [CATEGORY[f.category]],
        location: { path: r.file, lines: { begin: f.range.start.line, end: f.range.end.line } },
        severity: SEVERITY[f.severity],
        fingerprint: fingerprint(r.file, f, lineText, nth),
      });
    }
  }
  return out;
}

export function formatCodeClimate(report: LintReport): string {
  return issues(report)
    .map((i) => `${JSON.stringify(i)}\u0000`)
    .join("");
}

export function formatGitlabCodeClimate(report: LintReport): string {
  return `${JSON.stringify(issues(report), null, 2)}\n`;
}
