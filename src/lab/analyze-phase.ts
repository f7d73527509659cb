import type { Analysis } from "../image/analysis/types.js";
import type { Image } from "../image/model.js";
import type { LabProgressEvent } from "./events.js";
import { runPhase } from "./phase.js";

export interface AnalyzePhaseContext {
  emit: (e: LabProgressEvent) => void;
  signal: AbortSignal | undefined;
  openImage: typeof import("../image/public.js").openImage;
  analyzeImage: typeof import("../image/public.js").analyzeImage;
}

/**
 * The analyze phase of a lab variant, shared by the lab's own variants and
 * the optimized ones: opens the built image from the engine, analyzes it with
 * `top` wasted files, and reports the phase. An image that cannot be read is
 * the variant's error (returned); an interruption or a lost engine ends the run.
 */
export async function analyzePhase(
  ctx: AnalyzePhaseContext,
  at: { lab: string; variant: string },
  ref: string,
  top: number,
): Promise<{ image: Image; analysis: Analysis } | { error: string }> {
  const { signal } = ctx;
  const { outcome } = await runPhase(
    {
      emit: ctx.emit,
      at,
      phase: "analyze",
      detail: ref,
      done: (o) =>
        o.ok
          ? { ok: true, detail: `${o.value.analysis.layers.filter((l) => !l.empty).length} layers` }
          : { ok: false, detail: cannotAnalyze(ref, o.error) },
    },
    async () => {
      const image = await ctx.openImage(`docker://${ref}`, { ...(signal ? { signal } : {}) });
      return { image, analysis: ctx.analyzeImage(image, { top }) };
    },
  );
  return outcome.ok ? outcome.value : { error: cannotAnalyze(ref, outcome.error) };
}

function cannotAnalyze(ref: string, e: Error): string {
  return `could not analyze ${ref}: ${e.message}`;
}
