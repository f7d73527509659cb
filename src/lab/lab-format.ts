/**
 * The lab's result table (the one lab-004 asks students to fill in, with the
 * numbers measured here), the layer history where the lab asks for it, and
 * the verdicts; for the terminal and as Markdown (docs/results.md). Pure.
 */
import { markdownTable } from "markdown-table";
import pc from "picocolors";
import { formatBytes, formatDuration } from "../report/format-units.js";
import { borderlessTable } from "../report/tty-table.js";
import type { ClaimVerdict, LabRun, VariantRun } from "./lab-result.js";

export const TABLE_COLUMNS = [
  "Image",
  "Built from",
  "Expected",
  "Result",
  "Size",
  "vs baseline",
  "Layers",
  "Wasted",
  "Build-only",
  "Start-up",
] as const;

function expected(v: VariantRun): string {
  return v.expect === "works" ? "works" : `fails (${v.expect.fails})`;
}

function result(v: VariantRun): string {
  const mark = v.outcome.asExpected ? "as expected" : "NOT as expected";
  switch (v.outcome.status) {
    case "works":
      return `works, ${mark}`;
    case "build-failed":
      return `build failed, ${mark}`;
    case "verify-failed":
      return `probe failed, ${mark}`;
    case "not-verified":
      return `not verified, ${mark}`;
    case "error":
      return `error, ${mark}`;
  }
}

/** The Result cell of the compact table: the outcome, and whether the lab expected it, in a few words. */
function shortResult(v: VariantRun): string {
  const what =
    v.outcome.status === "works"
      ? "works"
      : v.outcome.status === "build-failed"
        ? "build failed"
        : v.outcome.status === "verify-failed"
          ? "probe failed"
          : v.outcome.status === "not-verified"
            ? "not verified"
            : "error";
  if (!v.outcome.asExpected) return `${what} (UNEXPECTED)`;
  return v.outcome.status === "works" ? what : `${what} (expected)`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The terminal's default table: what fits 120 columns (`--wide`: every column of TABLE_COLUMNS). */
export const COMPACT_COLUMNS = [
  "Image",
  "Result",
  "Size",
  "vs baseline",
  "Layers",
  "Wasted",
  "Build-only",
  "Start-up",
] as const;

const COMPACT_WIDTH = 120;

export function compactRows(run: LabRun, imageWidth = 22): string[][] {
  return tableRows(run).map((full, i) => {
    const v = run.variants[i] as VariantRun;
    return [clip(v.name, imageWidth), shortResult(v), ...full.slice(4)];
  });
}

function source(v: VariantRun): string {
  if (v.image) return `${v.image} (as it is)`;
  return `${v.dockerfile ?? "?"}${v.target ? ` --target ${v.target}` : ""}`;
}

function vsBaseline(v: VariantRun, base: VariantRun | undefined): string {
  if (!v.facts || !base?.facts) return "";
  if (v === base) return "baseline";
  const d = v.facts.sizeBytes - base.facts.sizeBytes;
  const p = base.facts.sizeBytes === 0 ? 0 : (d / base.facts.sizeBytes) * 100;
  return `${d > 0 ? "+" : d < 0 ? "-" : "±"}${formatBytes(Math.abs(d))} (${p > 0 ? "+" : ""}${p.toFixed(1)}%)`;
}

/** One row per variant, the cells as text. */
export function tableRows(run: LabRun): string[][] {
  const base = run.variants.find((v) => v.name === run.baseline);
  return run.variants.map((v) => [
    v.label && v.label !== v.name ? `${v.name} (${v.label})` : v.name,
    source(v),
    expected(v),
    result(v),
    v.facts ? formatBytes(v.facts.sizeBytes) : "",
    vsBaseline(v, base),
    v.facts ? String(v.facts.layers) : "",
    v.facts ? formatBytes(v.facts.wastedBytes) : "",
    v.facts ? formatBytes(v.facts.buildOnlyBytes) : "",
    v.verify?.startupMs != null ? formatDuration(v.verify.startupMs) : "",
  ]);
}

function verdictMark(v: ClaimVerdict): string {
  return v.verdict === true ? "TRUE" : v.verdict === false ? "FALSE" : "NOT MEASURED";
}

/** "as expected" / "expected FALSE" beside a verdict, when the lab states an expectation. */
function expectationNote(v: ClaimVerdict): string {
  if (v.expected === undefined) return "";
  return v.asExpected ? " (as expected)" : ` (the lab expects ${v.expected ? "TRUE" : "FALSE"})`;
}

/** What makes a run NOT OK, one line each: the variants and the claims that did not come out as expected. */
export function unexpectedResults(run: LabRun): string[] {
  return [
    ...run.variants
      .filter((v) => !v.outcome.asExpected)
      .map((v) => `variant ${v.name}: ${v.outcome.summary}`),
    ...run.claims
      .filter((c) => !c.asExpected)
      .map((c) =>
        c.verdict === null
          ? `claim ${c.id}: not measured (${c.why})`
          : `claim ${c.id}: ${verdictMark(c)}, the lab expects ${c.expected ? "TRUE" : "FALSE"}`,
      ),
  ];
}

function shortCreatedBy(s: string): string {
  if (s.trim() === "") return "(no history entry: an imported layer)";
  const t = s
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, "")
    .replace(/^\/bin\/sh -c /, "RUN ")
    .replace(/\s+/g, " ")
    .trim();
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

function ttyTable(
  head: readonly string[],
  rows: string[][],
  color: boolean,
  rightAligned: ReadonlySet<number>,
): string {
  return borderlessTable(
    head,
    rows,
    (i) => (rightAligned.has(i) ? "right" : "left"),
    color ? pc.bold : undefined,
  ).join("\n");
}

const NUMERIC = new Set([4, 5, 6, 7, 8, 9]);
const COMPACT_NUMERIC = new Set([2, 3, 4, 5, 6, 7]);

/** The compact table, its Image column clipped further until every line fits 120 columns. */
function compactTable(run: LabRun, color: boolean): string {
  let width = 22;
  while (
    width > 8 &&
    ttyTable(COMPACT_COLUMNS, compactRows(run, width), false, COMPACT_NUMERIC)
      .split("\n")
      .some((l) => l.length > COMPACT_WIDTH)
  )
    width -= 2;
  return ttyTable(COMPACT_COLUMNS, compactRows(run, width), color, COMPACT_NUMERIC);
}

export function formatLabTty(run: LabRun, opts: { color?: boolean; wide?: boolean } = {}): string {
  const color = opts.color === true;
  const out: string[] = [];
  out.push(color ? pc.bold(`${run.name}: ${run.title}`) : `${run.name}: ${run.title}`);
  out.push("");
  out.push(opts.wide ? ttyTable(TABLE_COLUMNS, tableRows(run), color, NUMERIC) : compactTable(run, color));
  out.push("");
  for (const v of run.variants) {
    const line = `  ${v.name}: ${v.outcome.summary}`;
    out.push(color && !v.outcome.asExpected ? pc.red(line) : line);
  }
  const lintLines = lintSummary(run);
  if (lintLines.length) out.push("", "Lint:", ...lintLines.map((l) => `  ${l}`));
  if (run.history) {
    for (const v of run.variants) {
      if (!v.facts) continue;
      out.push(
        "",
        `History of ${v.label ?? v.name} (${v.facts.historyEntries} entries, ${v.facts.layers} layers):`,
      );
      const rows = v.facts.history.map((h, i) => [
        String(i),
        shortCreatedBy(h.createdBy),
        h.empty ? "0 B" : formatBytes(h.sizeBytes),
      ]);
      out.push(
        ttyTable(["#", "Created by", "Size"], rows, color, new Set([2]))
          .split("\n")
          .map((l) => `  ${l}`)
          .join("\n"),
      );
    }
  }
  out.push("", "Claims:");
  for (const c of run.claims) {
    const mark = verdictMark(c);
    const painted = !color
      ? mark
      : c.verdict === true
        ? pc.green(mark)
        : c.verdict === false
          ? pc.yellow(mark)
          : pc.red(mark);
    const note = expectationNote(c);
    out.push(
      `  ${painted}${color && !c.asExpected ? pc.red(note) : note}  ${c.text}`,
      `      measured: ${c.measured}`,
      `      why: ${c.why}`,
    );
  }
  const unexpected = unexpectedResults(run);
  out.push(
    "",
    run.ok
      ? "Every variant behaved as expected and every claim has a verdict (the expected one, where the lab states it)."
      : ["NOT OK:", ...unexpected.map((u) => `  ${u}`)].join("\n"),
  );
  return `${out.join("\n")}\n`;
}

function lintSummary(run: LabRun): string[] {
  const lines: string[] = [];
  for (const v of run.variants) {
    if (!v.lint || v.lint.length === 0) continue;
    const ids = [...new Set(v.lint.map((f) => f.ruleId))];
    lines.push(`${v.dockerfile ?? v.name}: ${v.lint.length} finding(s) (${ids.join(", ")})`);
  }
  for (const o of run.original) {
    const ids = [...new Set(o.findings.map((f) => f.ruleId))];
    lines.push(
      `${o.file} (as the lab wrote it): ${o.findings.length} finding(s)${ids.length ? ` (${ids.join(", ")})` : ""}`,
    );
  }
  return lines;
}

function md(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export function formatLabMarkdown(run: LabRun, opts: { headingLevel?: number } = {}): string {
  const h = "#".repeat(opts.headingLevel ?? 2);
  const out: string[] = [];
  out.push(`${h} ${run.name}: ${run.title}`, "");
  const rows = [[...TABLE_COLUMNS], ...tableRows(run).map((r) => r.map(md))];
  out.push(markdownTable(rows, { align: TABLE_COLUMNS.map((_, i) => (NUMERIC.has(i) ? "r" : "l")) }), "");
  for (const v of run.variants) out.push(`- **${v.name}**: ${md(v.outcome.summary)}`);
  const lintLines = lintSummary(run);
  if (lintLines.length) {
    out.push("", "Lint:", "");
    for (const l of lintLines) out.push(`- ${md(l)}`);
  }
  if (run.history) {
    for (const v of run.variants) {
      if (!v.facts) continue;
      out.push(
        "",
        `History of \`${v.label ?? v.name}\` (${v.facts.historyEntries} entries, ${v.facts.layers} layers):`,
        "",
      );
      const hrows = [
        ["#", "Created by", "Size"],
        ...v.facts.history.map((x, i) => [
          String(i),
          `\`${md(shortCreatedBy(x.createdBy))}\``,
          x.empty ? "0 B" : formatBytes(x.sizeBytes),
        ]),
      ];
      out.push(markdownTable(hrows, { align: ["r", "l", "r"] }));
    }
  }
  out.push("", `${h}# Claims`, "");
  const crows = [
    ["Claim", "Verdict", "Measured", "Why"],
    ...run.claims.map((c) => [
      md(c.text),
      `**${verdictMark(c)}**${expectationNote(c)}`,
      md(c.measured),
      md(c.why),
    ]),
  ];
  out.push(markdownTable(crows, { align: ["l", "l", "l", "l"] }), "");
  return out.join("\n");
}
