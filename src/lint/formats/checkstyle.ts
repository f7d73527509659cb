/** Checkstyle XML, which most CI servers can display. */
import type { Severity } from "../finding.js";
import type { LintReport } from "./report.js";

const LEVEL: Record<Severity, string> = { error: "error", warning: "warning", info: "info", style: "info" };

// Five entity replacements: an XML library would be heavier than the escaping it saves.
function esc(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

export function formatCheckstyle(report: LintReport): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<checkstyle version="4.3">`];
  for (const r of report.results) {
    out.push(`  <file name="${esc(r.file)}">`);
    for (const f of r.findings) {
      out.push(
        `    <error line="${f.range.start.line}" column="${f.range.start.column}" severity="${LEVEL[f.severity]}" message="${esc(`${f.message} (${f.hint})`)}" source="slimstage.${esc(f.ruleId)}.${esc(f.slug)}"/>`,
      );
    }
    out.push("  </file>");
  }
  out.push("</checkstyle>", "");
  return out.join("\n");
}
