/**
 * Reads hadolint's rule cases (../shared/corpora/hadolint/*.jsonl, data only:
 * never copied into the project) and checks a slimstage rule against the rows
 * of the DL code it maps. Used by the agreement test and scripts.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_CONFIG, type LintConfig } from "../config.js";
import { lintText } from "../engine.js";
import type { Rule } from "../rule.js";

export interface CorpusRow {
  rule: string;
  expect: "catch" | "pass";
  dockerfile: string;
  count: string | number;
  onbuild: boolean;
  config: string;
  spec: string;
  line: number;
  it: string;
}

export const CORPUS_DIR = new URL("../../../../shared/corpora/hadolint/", import.meta.url).pathname;

export function readCorpus(dir = CORPUS_DIR): CorpusRow[] {
  const rows: CorpusRow[] = [];
  for (const f of ["hadolint-cases.jsonl", "hadolint-cases-extra.jsonl"]) {
    const p = join(dir, f);
    if (!existsSync(p)) continue;
    for (const line of readFileSync(p, "utf8").split("\n"))
      if (line.trim()) rows.push(JSON.parse(line) as CorpusRow);
  }
  return rows;
}

/** `spec:line` names a row; onbuild variants get a `+onbuild` suffix. */
export function rowId(r: CorpusRow): string {
  return `${r.spec}:${r.line}${r.onbuild ? "+onbuild" : ""}`;
}

/** hadolint's config for a row, mapped to slimstage's; undefined when slimstage has no equivalent. */
export function configFor(r: CorpusRow): LintConfig | undefined {
  if (r.config === "def") return DEFAULT_CONFIG;
  const m = /allowedRegistries\s*=\s*\[([^\]]*)\]/.exec(r.config);
  if (m) {
    const regs = [...m[1]!.matchAll(/"([^"]*)"/g)].map((x) => x[1]!);
    return { ...DEFAULT_CONFIG, trustedRegistries: regs };
  }
  return undefined;
}

export interface RowOutcome {
  row: CorpusRow;
  found: number;
  agrees: boolean;
  error?: string;
}

export function checkRow(
  rule: Rule,
  row: CorpusRow,
  now = new Date("2026-11-22T12:00:00Z"),
): RowOutcome | undefined {
  const config = configFor(row);
  if (!config) return undefined;
  // hadolint appends a newline before parsing.
  const res = lintText(`${row.dockerfile}\n`, { rules: [rule], config, now });
  if (res.parseFailed)
    return { row, found: 0, agrees: row.expect === "pass", error: res.findings[0]?.message };
  const found = res.findings.filter((f) => f.ruleId === rule.meta.id).length;
  let agrees: boolean;
  if (row.onbuild && row.expect === "catch") agrees = found === 1;
  else if (row.count === ">=1") agrees = found >= 1;
  else agrees = found === Number(row.count);
  return { row, found, agrees };
}

export interface Agreement {
  rule: Rule;
  code: string;
  rows: number;
  agreeing: number;
  skipped: number;
  outcomes: RowOutcome[];
}

export function agreement(rule: Rule, rows: readonly CorpusRow[]): Agreement {
  const code = rule.meta.hadolint!;
  const outcomes: RowOutcome[] = [];
  let skipped = 0;
  for (const row of rows) {
    if (row.rule !== code) continue;
    const o = checkRow(rule, row);
    if (o) outcomes.push(o);
    else skipped++;
  }
  return {
    rule,
    code,
    rows: outcomes.length,
    agreeing: outcomes.filter((o) => o.agrees).length,
    skipped,
    outcomes,
  };
}

export function agreementTable(results: readonly Agreement[]): string {
  const lines = ["| rule | hadolint | rows | agree | % | skipped (config) |", "|---|---|---|---|---|---|"];
  for (const a of results) {
    const pct = a.rows ? ((100 * a.agreeing) / a.rows).toFixed(1) : "-";
    lines.push(
      `| ${a.rule.meta.id} ${a.rule.meta.slug} | ${a.code} | ${a.rows} | ${a.agreeing} | ${pct} | ${a.skipped} |`,
    );
  }
  return lines.join("\n");
}
