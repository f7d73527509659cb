/**
 * The output formats of `slimstage compare`: a terminal table, markdown (for a
 * pull-request comment) and the JSON run document. Each reads one Comparison.
 */
import { markdownTable } from "markdown-table";
import { createColors } from "picocolors";
import type { Comparison, ComparisonRow, Metric } from "./compare.js";
import { formatBytes, formatDuration, formatRatio } from "./format-units.js";
import type { GateOutcome } from "./gates.js";
import { REPORT_DATA_SCHEMA_ID, type ReportData, type VariantData } from "./report-data.js";
import { borderlessTable } from "./tty-table.js";

export const COLUMNS = [
  "variant",
  "size",
  "compressed",
  "layers",
  "wasted",
  "build-only",
  "packages",
  "start-up",
  "peak memory",
  "verify",
  "saved",
] as const;

type Unit = "bytes" | "count" | "ms";

function metricCell(m: Metric, unit: Unit, showRatio: boolean, suffix = ""): string {
  if (m.value === null) return "-";
  const v =
    unit === "bytes" ? formatBytes(m.value) : unit === "ms" ? formatDuration(m.value) : String(m.value);
  const r = showRatio && m.ratio !== null ? ` ${formatRatio(m.ratio)}` : "";
  return `${v}${suffix}${r}`;
}

export function verifyLabel(row: ComparisonRow): string {
  switch (row.verify.status) {
    case "passed":
      return "passed";
    case "failed":
      return "FAILED";
    case "not-verified":
      return "not verified";
  }
}

export function savingLabel(row: ComparisonRow): string {
  if (row.saving === null) return "baseline";
  const { bytes, status } = row.saving;
  if (status === "withheld") return "not claimed (failed)";
  const text = bytes >= 0 ? formatBytes(bytes) : `${formatBytes(-bytes)} larger`;
  return status === "unverified" ? `${text} (unverified)` : text;
}

/** The cells of one row as plain text, in COLUMNS order. */
export function rowCells(row: ComparisonRow): string[] {
  const r = !row.isBaseline;
  return [
    row.isBaseline ? `${row.name} (baseline)` : row.name,
    metricCell(row.size, "bytes", r),
    metricCell(row.compressedSize, "bytes", r, row.compressedSize.estimated ? " (est.)" : ""),
    metricCell(row.layers, "count", r),
    metricCell(row.wastedBytes, "bytes", r),
    metricCell(row.buildOnlyBytes, "bytes", r),
    metricCell(row.packages, "count", r),
    metricCell(row.startupMs, "ms", r),
    metricCell(row.peakMemoryBytes, "bytes", r),
    verifyLabel(row),
    savingLabel(row),
  ];
}

function gateLines(gates: GateOutcome | undefined): string[] {
  if (!gates || gates.gates.length === 0) return [];
  if (gates.passed) return [`gates passed (${gates.gates.map((g) => `--${g.kind} ${g.source}`).join(", ")})`];
  return gates.failures.map((f) => `gate ${f.gate} failed: ${f.message}`);
}

function notes(c: Comparison): string[] {
  const estimated = c.rows.some((r) => r.compressedSize.estimated && r.compressedSize.value !== null);
  const out = [
    `ratios are to the baseline ${c.baseline}${estimated ? "; est. = compressed size estimated locally (gzip -6)" : ""}`,
  ];
  for (const row of c.rows) {
    if (row.verify.status === "failed") {
      out.push(`${row.name} failed verification${row.verify.error ? `: ${row.verify.error}` : ""}`);
    }
  }
  return out;
}

export function formatComparisonTty(
  c: Comparison,
  opts: { color?: boolean; gates?: GateOutcome } = {},
): string {
  const color = opts.color === true;
  // The caller decides (--no-color, NO_COLOR, a TTY): not picocolors' own detection.
  const pc = createColors(color);
  const paint = (f: (s: string) => string, s: string) => f(s);
  const align = (i: number) => (i === 0 || i >= 9 ? "left" : "right");
  const rows = c.rows.map((row) => {
    const cells = rowCells(row);
    const verifyCell = cells[9]; // rowCells always gives ten cells
    if (verifyCell === undefined) throw new Error("internal: a comparison row without a verify cell");
    if (row.verify.status === "failed") cells[9] = paint(pc.red, verifyCell);
    else if (row.verify.status === "passed") cells[9] = paint(pc.green, verifyCell);
    return cells;
  });
  const body = borderlessTable(COLUMNS, rows, align, (h) => paint(pc.bold, h));
  const lines = [...body, "", ...notes(c).map((n) => paint(pc.dim, n))];
  for (const g of gateLines(opts.gates)) lines.push(opts.gates?.passed ? g : paint(pc.red, g));
  return `${lines.join("\n")}\n`;
}

/** Markdown cells must not break the table: escape pipes, flatten newlines. */
function mdCell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export function formatComparisonMarkdown(c: Comparison, opts: { gates?: GateOutcome } = {}): string {
  const rows = [[...COLUMNS], ...c.rows.map((r) => rowCells(r).map(mdCell))];
  const align = COLUMNS.map((_, i) => (i === 0 || i >= 9 ? "l" : "r"));
  const extra = [...notes(c), ...gateLines(opts.gates)].map((n) => `- ${mdCell(n)}`);
  return `${markdownTable(rows, { align })}\n\n${extra.join("\n")}\n`;
}

/** The JSON document of `compare --json`; `report --from` reads it back. */
export interface CompareDocument extends ReportData {
  comparison: Comparison;
  gates?: GateOutcome;
}

export function comparisonDocument(
  variants: readonly VariantData[],
  comparison: Comparison,
  opts: { gates?: GateOutcome; createdAt?: Date; title?: string } = {},
): CompareDocument {
  return {
    schema: REPORT_DATA_SCHEMA_ID,
    ...(opts.title ? { title: opts.title } : {}),
    createdAt: (opts.createdAt ?? new Date()).toISOString(),
    baseline: comparison.baseline,
    variants: [...variants],
    comparison,
    ...(opts.gates ? { gates: opts.gates } : {}),
  };
}
