import { EngineError, InterruptedError } from "../errors.js";
import type { Analysis } from "../image/analysis/types.js";
import type { Image } from "../image/model.js";
import type { LabProgressEvent } from "./events.js";

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
  const { emit, signal } = ctx;
  emit({ type: "phase-start", ...at, phase: "analyze", detail: ref });
  const ta = Date.now();
  try {
    const image = await ctx.openImage(`docker://${ref}`, { ...(signal ? { signal } : {}) });
    const analysis = ctx.analyzeImage(image, { top });
    emit({
      type: "phase-done",
      ...at,
      phase: "analyze",
      ok: true,
      durationMs: Date.now() - ta,
      detail: `${analysis.layers.filter((l) => !l.empty).length} layers`,
    });
    return { image, analysis };
  } catch (e) {
    if (e instanceof InterruptedError || e instanceof EngineError) throw e;
    const error = `could not analyze ${ref}: ${(e as Error).message}`;
    emit({
      type: "phase-done",
      ...at,
      phase: "analyze",
      ok: false,
      durationMs: Date.now() - ta,
      detail: error,
    });
    return { error };
  }
}
