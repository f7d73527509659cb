/** Markdown for pull-request comments: a summary line and one table per file. */
import type { Severity } from "../finding.js";
import type { LintReport } from "./report.js";

const ICON: Record<Severity, string> = { error: "🔴", warning: "🟠", info: "🔵", style: "⚪" };

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export function formatMarkdown(report: LintReport): string {
  const all = report.results.flatMap((r) => r.findings);
  const out: string[] = ["## slimstage lint", ""];
  if (all.length === 0) {
    out.push(`No findings in ${report.results.length} file(s).`, "");
    return out.join("\n");
  }
  const by = (s: Severity) => all.filter((f) => f.severity === s).length;
  out.push(
    `**${all.length} finding(s)** in ${report.results.length} file(s): ${(
      ["error", "warning", "info", "style"] as const
    )
      .filter((s) => by(s) > 0)
      .map((s) => `${ICON[s]} ${by(s)} ${s}`)
      .join(", ")}`,
    "",
  );
  for (const r of report.results) {
    if (r.findings.length === 0) continue;
    out.push(
      `### \`${r.file}\``,
      "",
      "| | line | rule | finding | stage | fix |",
      "|---|---|---|---|---|---|",
    );
    for (const f of r.findings) {
      out.push(
        `| ${ICON[f.severity]} | ${f.range.start.line} | \`${f.ruleId}\`${f.hadolint ? ` (\`${f.hadolint}\`)` : ""} ${f.slug} | ${cell(f.message)} | ${f.stage ?? ""} | ${cell(f.hint)} |`,
      );
    }
    out.push("");
  }
  return out.join("\n");
}
