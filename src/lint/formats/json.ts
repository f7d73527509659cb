/** Machine output: one JSON document with every finding and a summary. */
import type { Severity } from "../finding.js";
import { severityRank } from "../finding.js";
import type { LintReport } from "./report.js";

export function toJson(report: LintReport) {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, style: 0 };
  let failing = 0;
  for (const r of report.results)
    for (const f of r.findings) {
      counts[f.severity]++;
      if (report.threshold !== "none" && severityRank(f.severity) <= severityRank(report.threshold))
        failing++;
    }
  return {
    version: report.toolVersion,
    threshold: report.threshold,
    summary: {
      files: report.results.length,
      findings: Object.values(counts).reduce((a, b) => a + b, 0),
      failing,
      ...counts,
    },
    files: report.results.map((r) => ({
      file: r.file,
      parseFailed: r.parseFailed,
      suppressed: r.suppressed,
      findings: r.findings,
    })),
  };
}

export function formatJson(report: LintReport): string {
  return `${JSON.stringify(toJson(report), null, 2)}\n`;
}
