/**
 * Adapters from the other areas' results (Analysis, VerifyResult, lint
 * Finding) to the small summaries compare and the report read.
 */
import type { Analysis } from "../image/analysis/types.js";
import type { Finding as LintFinding } from "../lint/finding.js";
import { describeProbe } from "../verify/probe-spec.js";
import type { VerifyResult } from "../verify/types.js";
import type {
  AnalysisSummary,
  LintFindingSummary,
  MinifySummary,
  VariantData,
  VerifySummary,
} from "./report-data.js";

/** How many owners a summary keeps (the run document stays small). */
const TOP_OWNERS = 25;
/** Lines of container log kept for a failed verification. */
const LOG_TAIL_LINES = 40;

export function summarizeAnalysis(a: Analysis): AnalysisSummary {
  const byOwnerKind = Object.entries(a.byOwnerKind)
    .filter(([, bytes]) => bytes > 0)
    .map(([kind, bytes]) => ({ kind, bytes }))
    .sort((x, y) => y.bytes - x.bytes);
  const topOwners = a.byOwner
    .filter((o) => o.bytes > 0)
    .sort((x, y) => y.bytes - x.bytes)
    .slice(0, TOP_OWNERS)
    .map((o) => ({ kind: o.kind, name: o.name, bytes: o.bytes }));
  return {
    id: a.imageId,
    sizeBytes: a.totalBytes,
    compressedBytes: a.compressedBytes,
    compressedEstimated: a.compressedEstimated,
    // Filesystem layers only: metadata-only history entries (ENV, CMD) hold no bytes.
    layers: a.layers
      .filter((l) => !l.empty && l.layerIndex !== null)
      .map((l) => ({
        index: l.layerIndex ?? l.index,
        sizeBytes: l.size,
        createdBy: l.createdBy,
        wastedBytes: l.wastedBytes,
      })),
    wastedBytes: a.wastedBytes,
    buildOnlyBytes: a.buildOnlyBytes,
    packageCount: a.packages.length,
    byOwnerKind,
    topOwners,
    buildOnlyByCategory: a.byCategory
      .filter((c) => c.bytes > 0)
      .map((c) => ({ category: c.category, label: c.label, bytes: c.bytes })),
    findings: a.findings.map((f) => ({ id: f.id, message: f.message, bytes: f.bytes })),
  };
}

function tail(text: string, lines: number): string {
  const all = text.replace(/\s+$/, "").split("\n");
  return all.slice(-lines).join("\n");
}

export function summarizeVerify(r: VerifyResult): VerifySummary {
  return {
    passed: r.ok,
    startupMs: r.startupMs ?? null,
    peakMemoryBytes: r.peakMemoryBytes ?? null,
    probes: r.probes.map((p) => ({
      name: describeProbe(p.probe),
      ok: p.ok,
      detail: p.detail,
      durationMs: p.durationMs,
    })),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(!r.ok && r.logs ? { logsTail: tail(r.logs, LOG_TAIL_LINES) } : {}),
    ...(r.differential
      ? {
          differential: {
            against: r.differential.against,
            requests: r.differential.requests.length,
            identical: r.differential.identical,
            differing: r.differential.differing,
            masked: r.differential.masked.length,
            differences: r.differential.requests
              .filter((q) => q.verdict === "differs")
              .map((q) => ({ request: q.request, source: q.source, detail: q.detail ?? "" })),
          },
        }
      : {}),
  };
}

/** Structural: only the fields the report shows. */
export type LintFindingInput = Pick<LintFinding, "ruleId" | "severity" | "message" | "range">;

export function summarizeLint(findings: readonly LintFindingInput[]): LintFindingSummary[] {
  return findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    file: f.range.file,
    line: f.range.start.line,
    column: f.range.start.column,
  }));
}

/** What one image came to, before it is summarized for the report. */
export interface MeasuredImage {
  name: string;
  ref: string;
  analysis: Analysis;
  /** A verification's result, or its summary when the caller made one itself (a run that could not start). */
  verify?: VerifyResult | VerifySummary;
  lint?: LintFindingSummary[];
  minify?: MinifySummary;
}

/**
 * One image as a variant of the report and of compare's table: the one place a variant row
 * is made, for the lab's variants, its optimized and minified ones, and `compare`'s images.
 */
export function variantData(m: MeasuredImage): VariantData {
  const verify = m.verify && ("passed" in m.verify ? m.verify : summarizeVerify(m.verify));
  return {
    name: m.name,
    ref: m.ref,
    analysis: summarizeAnalysis(m.analysis),
    ...(verify ? { verify } : {}),
    ...(m.lint ? { lint: m.lint } : {}),
    ...(m.minify ? { minify: m.minify } : {}),
  };
}
