/**
 * slimstage's own optimize as one more pair of variants of a lab:
 * "optimized-slim" and "optimized-distroless", each built and verified by
 * optimizeProject with the lab's probe and compose sidecars. A tier that
 * fails is a failed variant with its reason; only verified tiers are analyzed,
 * so a size is never shown for an image that did not pass its probe.
 */
import { readFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import type { Analysis } from "../image/analysis/types.js";
import type { LintFindingSummary, VariantData } from "../report/report-data.js";
import type { Probe, VerifyResult } from "../verify/types.js";
import { analyzePhase } from "./analyze-phase.js";
import type { LabProgressEvent } from "./events.js";
import { imageFacts } from "./image-facts.js";
import type { Lab } from "./lab-config.js";
import type { LintFact, VariantRun, VerifyFacts } from "./lab-result.js";
import { labOptimizeDefaults } from "./optimize-defaults.js";
import type { SizedVariant, TierMeasure } from "./optimized-claims.js";
import type { MeasuredVariant } from "./outcome.js";
import { ownVariant } from "./own-variant.js";
import { runPhase } from "./phase.js";

export const OPTIMIZE_TIERS = ["slim", "distroless"] as const;
export type OptimizeTier = (typeof OPTIMIZE_TIERS)[number];

export interface OptimizedContext {
  emit: (e: LabProgressEvent) => void;
  signal: AbortSignal | undefined;
  prefix: string;
  labels: Record<string, string>;
  verifyTimeoutMs: number;
  env?: Record<string, string>;
  /** The lab's probe as verify's probes (http only; a command probe is left to optimize's lab defaults). */
  probes?: Probe[];
  /** The lab's original (its baseline variant's image, when it works): each tier is verified against it. */
  against?: string;
  openImage: typeof import("../image/public.js").openImage;
  analyzeImage: typeof import("../image/public.js").analyzeImage;
  variantData: typeof import("../report/summarize.js").variantData;
  verifyFacts: (r: VerifyResult) => VerifyFacts;
  lintFacts: (text: string, file: string) => LintFact[];
  lintSummaries: (lint: readonly LintFact[], file: string) => LintFindingSummary[];
  wasteFiles: number;
}

export interface OptimizedRun {
  runs: VariantRun[];
  reports: VariantData[];
  tiers: Partial<Record<OptimizeTier, TierMeasure>>;
}

const NODE_BINARY = "usr/local/bin/node";

export function optimizedVariantName(tier: OptimizeTier): string {
  return `optimized-${tier}`;
}

/** The project directory optimize reads for a lab: lab.yaml's `optimize.dir`, else the lab directory. */
export function optimizeDir(lab: Lab): string {
  return resolve(lab.dir, lab.config.optimize?.dir ?? ".");
}

/** The lab's own variants as the optimize claims see them (multi-stage from the parsed Dockerfile). */
export async function sizedVariants(lab: Lab, runs: readonly VariantRun[]): Promise<SizedVariant[]> {
  const { parseDockerfile } = await import("../dockerfile/parser.js");
  const out: SizedVariant[] = [];
  for (const r of runs) {
    let multiStage = false;
    if (r.dockerfile) {
      const text = await readFile(resolve(lab.dir, r.dockerfile), "utf8");
      const stages = parseDockerfile(text, { file: r.dockerfile }).stages.length;
      // A `target` that builds an early stage is not the multi-stage image the lab ships.
      multiStage = stages > 1;
    }
    out.push({
      name: r.name,
      ...(r.facts ? { sizeBytes: r.facts.sizeBytes } : {}),
      works: r.outcome.status === "works",
      multiStage,
    });
  }
  return out;
}

/** Runs optimize on the lab and turns each tier into a variant run (and a report variant when verified). */
export async function runOptimized(lab: Lab, ctx: OptimizedContext): Promise<OptimizedRun> {
  const cfg = lab.config;
  const { emit, signal } = ctx;
  const { optimizeProject } = await import("../plan/public.js");
  const dir = optimizeDir(lab);
  const out: OptimizedRun = { runs: [], reports: [], tiers: {} };
  const at = { lab: cfg.name, variant: "optimized" };

  const { outcome } = await runPhase(
    {
      emit,
      at,
      phase: "build",
      detail: `slimstage optimize ${relative(process.cwd(), dir) || "."}`,
      done: (o) =>
        o.ok
          ? {
              ok: o.value.ok,
              detail: o.value.attempts
                .map((a) => `${a.tier} ${a.status}${a.reason ? ` (${a.reason})` : ""}`)
                .join("; "),
            }
          : { ok: false, detail: optimizeFailed(o.error) },
    },
    () =>
      optimizeProject(dir, {
        tier: "distroless",
        allTiers: true,
        repository: `${ctx.prefix}/${cfg.name}-optimized`,
        labels: ctx.labels,
        verifyTimeoutMs: ctx.verifyTimeoutMs,
        ...(ctx.env ? { env: ctx.env } : {}),
        ...(ctx.probes && ctx.probes.length > 0 ? { probes: ctx.probes } : {}),
        ...(ctx.against ? { against: ctx.against } : {}),
        defaults: labOptimizeDefaults(lab),
        ...(signal ? { signal } : {}),
        // One live line for the whole optimize run ("optimized"), closed by its phase-done below.
        onProgress: (e) => {
          if (e.type === "phase") {
            emit({ type: "build-step", ...at, step: e.message, cached: false });
          } else if (
            e.type === "build" &&
            (e.event.type === "step-start" || e.event.type === "step-cached")
          ) {
            emit({
              type: "build-step",
              ...at,
              step: `${e.tier}: ${e.event.step.name}`,
              cached: e.event.type === "step-cached",
            });
          }
        },
      }),
  );
  const result = outcome.ok ? outcome.value : undefined;
  // Optimize could not even plan (project not detected, no probe): both tiers fail with that reason.
  const error = outcome.ok ? undefined : optimizeFailed(outcome.error);

  for (const tier of OPTIMIZE_TIERS) {
    const name = optimizedVariantName(tier);
    const a = result?.attempts.find((x) => x.tier === tier);
    const measured: MeasuredVariant = {};
    // The generated Dockerfile, as the table's "Built from" and the lint summary name it.
    const file = `slimstage optimize --tier ${tier}${cfg.optimize?.dir ? ` ${cfg.optimize.dir}` : ""}`;
    let analysis: Analysis | undefined;
    let nodeBinaryBytes: number | undefined;
    if (a) measured.lint = ctx.lintFacts(a.dockerfile, file);
    if (!a) {
      measured.error = error ?? `optimize did not try the ${tier} tier`;
    } else if (a.status === "build-failed" || a.status === "planned") {
      measured.build = {
        ok: false,
        durationMs: a.buildMs ?? 0,
        steps: [],
        error: a.reason ?? "build failed",
      };
    } else {
      measured.build = { ok: true, durationMs: a.buildMs ?? 0, steps: [] };
      if (a.verify) measured.verify = ctx.verifyFacts(a.verify);
      if (a.status === "verify-failed") {
        const v: VerifyFacts = measured.verify ?? {
          ok: false,
          startupMs: null,
          peakMemoryBytes: null,
          probes: [],
        };
        measured.verify = { ...v, ok: false, error: v.error ?? a.reason ?? "a probe failed" };
      } else if (a.image) {
        const done = await analyzePhase(ctx, { lab: cfg.name, variant: name }, a.image, ctx.wasteFiles);
        if ("error" in done) measured.error = done.error;
        else {
          analysis = done.analysis;
          nodeBinaryBytes = done.image.layers
            .flatMap((l) => l.entries)
            .filter((e) => e.path.replace(/^\/+/, "") === NODE_BINARY)
            .at(-1)?.size;
        }
      }
    }
    const own = ownVariant(ctx, {
      name,
      file,
      ...(a?.image && a.status !== "build-failed" ? { tag: a.image } : {}),
      measured,
      ...(analysis ? { analysis } : {}),
      ...(a?.verify ? { verify: a.verify } : {}),
    });
    const verified = a?.status === "verified" && analysis !== undefined;
    out.tiers[tier] = {
      verified,
      ...(verified && analysis ? { sizeBytes: imageFacts(analysis).sizeBytes } : {}),
      ...(own.outcome.status !== "works" ? { reason: own.outcome.summary } : {}),
      ...(nodeBinaryBytes !== undefined ? { nodeBinaryBytes } : {}),
    };
    out.runs.push(own.run);
    if (own.report) out.reports.push(own.report);
  }
  return out;
}

function optimizeFailed(e: Error): string {
  return `optimize failed: ${e.message}`;
}
