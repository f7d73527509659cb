/** Terminal output: findings grouped by file, coloured by severity, with the source line and a caret. */
import pc from "picocolors";
import type { Finding, Severity } from "../finding.js";
import type { LintReport } from "./report.js";

export function formatTty(report: LintReport, opts: { color: boolean }): string {
  const c = pc.createColors(opts.color);
  const paint: Record<Severity, (s: string) => string> = {
    error: c.red,
    warning: c.yellow,
    info: c.blue,
    style: c.gray,
  };
  const out: string[] = [];
  let total = 0;
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, style: 0 };
  for (const r of report.results) {
    if (r.findings.length === 0) continue;
    out.push(c.bold(c.underline(r.file)));
    const lines = r.source.split(/\r?\n/);
    for (const f of r.findings) {
      total++;
      counts[f.severity]++;
      out.push(formatOne(f, lines, paint, c));
    }
    out.push("");
  }
  if (total === 0)
    return `${c.green("✓")} no findings in ${report.results.length} file${report.results.length === 1 ? "" : "s"}\n`;
  const parts = (Object.keys(counts) as Severity[])
    .filter((s) => counts[s] > 0)
    .map((s) => paint[s](`${counts[s]} ${s}`));
  out.push(`${total} finding${total === 1 ? "" : "s"}: ${parts.join(", ")}`);
  return `${out.join("\n")}\n`;
}

function formatOne(
  f: Finding,
  lines: readonly string[],
  paint: Record<Severity, (s: string) => string>,
  c: ReturnType<typeof pc.createColors>,
): string {
  const loc = c.dim(`${f.range.start.line}:${f.range.start.column}`);
  const stage = f.stage !== undefined ? c.dim(` [stage ${f.stage}]`) : "";
  const head = `  ${loc}  ${paint[f.severity](f.severity.padEnd(7))} ${f.message}  ${c.dim(`${f.ruleId}${f.hadolint ? `/${f.hadolint}` : ""} ${f.slug}`)}${stage}`;
  const src = lines[f.range.start.line - 1];
  const body: string[] = [head];
  if (src !== undefined) {
    const lineNo = String(f.range.start.line);
    const width =
      f.range.end.line === f.range.start.line
        ? Math.max(1, f.range.end.column - f.range.start.column)
        : Math.max(1, src.length - f.range.start.column + 1);
    body.push(`  ${c.dim(`${lineNo} |`)} ${src}`);
    body.push(
      `  ${" ".repeat(lineNo.length)} ${c.dim("|")} ${" ".repeat(Math.max(0, f.range.start.column - 1))}${paint[f.severity]("^".repeat(Math.min(width, 200)))}`,
    );
  }
  body.push(
    `  ${" ".repeat(String(f.range.start.line).length)}   ${c.cyan("hint:")} ${f.hint}${f.fix ? c.dim(" (autofix: --fix)") : ""}`,
  );
  return body.join("\n");
}
