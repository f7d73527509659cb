/**
 * slimstage's minify as one more variant of a lab, "minified": the smallest
 * variant of the lab that works is traced while the lab's probe passes (with
 * its compose sidecars), rebuilt at `--level safe` (the whole units that run
 * touched), and verified again. Only a verified result is analyzed and sized.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Analysis } from "../image/analysis/types.js";
import type { MinifyResult } from "../minify/minify.js";
import type { MinifySummary, VariantData } from "../report/report-data.js";
import type { Probe, VerifyResult } from "../verify/types.js";
import { analyzePhase } from "./analyze-phase.js";
import type { LabProgressEvent } from "./events.js";
import type { Lab } from "./lab-config.js";
import type { VariantRun, VerifyFacts } from "./lab-result.js";
import type { MeasuredVariant } from "./outcome.js";
import { ownVariant } from "./own-variant.js";
import { runPhase } from "./phase.js";

export const MINIFIED_VARIANT = "minified";

export interface MinifiedContext {
  emit: (e: LabProgressEvent) => void;
  signal: AbortSignal | undefined;
  prefix: string;
  labels: Record<string, string>;
  verifyTimeoutMs: number;
  env?: Record<string, string>;
  /** The lab's probe as verify's probes (and the command a one-shot app runs with), given the image's command. */
  probeSpec: (imageCmd: readonly string[] | null) => { probes: Probe[]; command?: string[] };
  openImage: typeof import("../image/public.js").openImage;
  analyzeImage: typeof import("../image/public.js").analyzeImage;
  variantData: typeof import("../report/summarize.js").variantData;
  verifyFacts: (r: VerifyResult) => VerifyFacts;
  wasteFiles: number;
}

/** The variant minify starts from: the smallest of the lab's own variants that works. */
export function minifySource(lab: Lab, runs: readonly VariantRun[]): VariantRun | undefined {
  const own = new Set(lab.config.variants.map((v) => v.name));
  return runs
    .filter((r) => own.has(r.name) && r.outcome.status === "works" && r.tag && r.facts)
    .sort((a, b) => (a.facts?.sizeBytes ?? 0) - (b.facts?.sizeBytes ?? 0))[0];
}

export async function runMinified(
  lab: Lab,
  source: VariantRun,
  ctx: MinifiedContext,
): Promise<{ run: VariantRun; report?: VariantData }> {
  const cfg = lab.config;
  const { emit, signal } = ctx;
  const at = { lab: cfg.name, variant: MINIFIED_VARIANT };
  const sourceTag = source.tag as string;
  const tag = `${ctx.prefix}/${cfg.name}-minified:${source.name}`;
  const compose = cfg.variants.find((v) => v.name === source.name)?.compose;
  const file = `slimstage minify ${sourceTag}`;
  const { minifyImage } = await import("../minify/minify.js");
  const { inspectEngineImage } = await import("../engine/images.js");
  const out = await mkdtemp(join(tmpdir(), "slimstage-lab-minify-"));
  const measured: MeasuredVariant = {};
  const { outcome, durationMs } = await runPhase(
    {
      emit,
      at,
      phase: "build",
      detail: file,
      done: (o) =>
        o.ok
          ? {
              ok: o.value.ok,
              detail: `${o.value.closure.files} files kept of ${o.value.source.files}, from ${source.name}`,
            }
          : { ok: false, detail: minifyFailed(o.error) },
    },
    async () => {
      try {
        const info = await inspectEngineImage(sourceTag);
        const spec = ctx.probeSpec(
          info.entrypoint || info.cmd ? [...(info.entrypoint ?? []), ...(info.cmd ?? [])] : null,
        );
        return await minifyImage({
          image: sourceTag,
          probes: spec.probes,
          ...(spec.command ? { command: spec.command } : {}),
          outDir: out,
          tag,
          // Whole units, not just the traced files: the lab's probe reaches one page, the app has more.
          level: "safe",
          labels: ctx.labels,
          timeoutMs: ctx.verifyTimeoutMs,
          ...(ctx.env ? { env: ctx.env } : {}),
          ...(compose ? { compose: { ...compose, file: resolve(lab.dir, compose.file) } } : {}),
          ...(signal ? { signal } : {}),
          onProgress: (e) => {
            if (e.type === "phase") emit({ type: "build-step", ...at, step: e.message, cached: false });
          },
        });
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    },
  );
  const result = outcome.ok ? outcome.value : undefined;
  if (outcome.ok) {
    measured.build = { ok: true, durationMs, steps: [] };
    measured.verify = ctx.verifyFacts(outcome.value.verify);
  } else measured.error = minifyFailed(outcome.error);
  let analysis: Analysis | undefined;
  if (result?.ok) {
    const done = await analyzePhase(ctx, at, tag, ctx.wasteFiles);
    if ("error" in done) measured.error = done.error;
    else analysis = done.analysis;
  }
  const { run, report } = ownVariant(ctx, {
    name: MINIFIED_VARIANT,
    file,
    ...(result ? { tag: result.minified.tag } : {}),
    measured,
    ...(analysis ? { analysis } : {}),
    ...(result ? { verify: result.verify, minify: minifySummary(result) } : {}),
  });
  return report ? { run, report } : { run };
}

/** The removal audit as the report shows it. */
export function minifySummary(r: MinifyResult): MinifySummary {
  const a = r.audit;
  return {
    level: r.level,
    source: a.source,
    kept: a.kept,
    removed: a.removed,
    ...(a.compiled
      ? {
          compiled: {
            files: a.compiled.files,
            bytes: a.compiled.bytes,
            sourceFiles: a.compiled.sources.files,
            sourceBytes: a.compiled.sources.bytes,
          },
        }
      : {}),
    removedByOwner: a.removedByOwner
      .slice(0, 12)
      .map((g) => ({ owner: g.name ? `${g.kind}:${g.name}` : g.kind, files: g.files, bytes: g.bytes })),
    keptByReason: a.keptByReason.map((g) => ({ reason: g.reason, files: g.files, bytes: g.bytes })),
    warnings: r.warnings,
  };
}

function minifyFailed(e: Error): string {
  return `minify failed: ${e.message}`;
}
