/**
 * A variant slimstage adds to a lab (an optimize tier, the minified image):
 * what was measured, as the lab's table row and, when its image was
 * analyzed, as a variant of the HTML report. One place, so every such
 * variant is judged and reported alike.
 */
import type { Analysis } from "../image/analysis/types.js";
import type { LintFindingSummary, MinifySummary, VariantData } from "../report/report-data.js";
import type { VerifyResult } from "../verify/types.js";
import { imageFacts } from "./image-facts.js";
import type { LabVariant } from "./lab-config.js";
import type { LintFact, VariantOutcome, VariantRun } from "./lab-result.js";
import { judgeOutcome, type MeasuredVariant } from "./outcome.js";

export interface OwnVariantContext {
  variantData: typeof import("../report/summarize.js").variantData;
  lintSummaries?: (lint: readonly LintFact[], file: string) => LintFindingSummary[];
}

export function ownVariant(
  ctx: OwnVariantContext,
  v: {
    name: string;
    /** What made it, shown as "Built from". */
    file: string;
    tag?: string;
    measured: MeasuredVariant;
    analysis?: Analysis;
    verify?: VerifyResult;
    /** The removal audit of a minified variant. */
    minify?: MinifySummary;
  },
): { run: VariantRun; report?: VariantData; outcome: VariantOutcome } {
  const { measured, analysis } = v;
  const variant: LabVariant = { name: v.name, expect: "works" };
  const outcome = judgeOutcome(variant, measured);
  const run: VariantRun = {
    name: v.name,
    dockerfile: v.file,
    ...(v.tag ? { tag: v.tag } : {}),
    expect: "works",
    ...(measured.lint ? { lint: measured.lint } : {}),
    ...(measured.build ? { build: measured.build } : {}),
    ...(analysis ? { facts: imageFacts(analysis) } : {}),
    ...(measured.verify ? { verify: measured.verify } : {}),
    outcome,
  };
  if (!analysis || !v.tag) return { run, outcome };
  const lint = measured.lint && ctx.lintSummaries ? ctx.lintSummaries(measured.lint, v.file) : undefined;
  return {
    run,
    outcome,
    report: ctx.variantData({
      name: v.name,
      ref: v.tag,
      analysis,
      ...(v.verify ? { verify: v.verify } : {}),
      ...(lint ? { lint } : {}),
      ...(v.minify ? { minify: v.minify } : {}),
    }),
  };
}
