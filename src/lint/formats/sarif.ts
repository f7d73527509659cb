/** SARIF 2.1.0, for code-scanning UIs. Valid against the OASIS schema (checked in sarif.test.ts). */
import type { Log, ReportingDescriptor, Result } from "sarif";
import type { Severity } from "../finding.js";
import { RULES } from "../rules/index.js";
import type { LintReport } from "./report.js";

const LEVEL: Record<Severity, Result.level> = {
  error: "error",
  warning: "warning",
  info: "note",
  style: "note",
};

export function toSarif(report: LintReport): Log {
  const used = new Set(report.results.flatMap((r) => r.findings.map((f) => f.ruleId)));
  const rules: ReportingDescriptor[] = RULES.filter((r) => used.has(r.meta.id)).map((r) => ({
    id: r.meta.id,
    name: r.meta.slug,
    shortDescription: { text: r.meta.description },
    fullDescription: { text: r.meta.rationale },
    help: { text: r.meta.fix },
    helpUri: `https://github.com/slimstage/slimstage/blob/main/docs/rules.md#${r.meta.id.toLowerCase()}-${r.meta.slug}`,
    defaultConfiguration: { level: LEVEL[r.meta.severity] },
    properties: {
      category: r.meta.category,
      tags: [r.meta.category],
      ...(r.meta.hadolint ? { hadolint: r.meta.hadolint } : {}),
    },
  }));
  for (const id of used) {
    if (!rules.some((r) => r.id === id))
      rules.push({
        id,
        shortDescription: {
          text: id === "SS000" ? "The Dockerfile does not parse" : "Unknown rule id in a pragma or config",
        },
      });
  }
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results: Result[] = report.results.flatMap((r) =>
    r.findings.map((f) => {
      const ruleIndex = index.get(f.ruleId);
      if (ruleIndex === undefined) throw new Error(`internal: no SARIF rule for ${f.ruleId}`);
      return {
        ruleId: f.ruleId,
        ruleIndex,
        level: LEVEL[f.severity],
        message: { text: `${f.message}. ${f.hint}` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: f.range.file.replace(/\\/g, "/") },
              region: {
                startLine: f.range.start.line,
                startColumn: f.range.start.column,
                endLine: f.range.end.line,
                endColumn: Math.max(f.range.end.column, 1),
              },
            },
          },
        ],
        properties: { category: f.category, ...(f.stage !== undefined ? { stage: f.stage } : {}) },
      };
    }),
  );
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "slimstage",
            version: report.toolVersion,
            informationUri: "https://github.com/slimstage/slimstage",
            rules,
          },
        },
        results,
      },
    ],
  };
}

export function formatSarif(report: LintReport): string {
  return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}
