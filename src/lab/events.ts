/**
 * What the lab loop reports while it runs. A leaf module: the loop and the
 * phases it delegates to (analyze, optimized, minified) all emit these.
 */

export type LabPhase = "lint" | "build" | "analyze" | "verify";

export type LabProgressEvent =
  | { type: "lab-start"; lab: string; title: string; variants: number }
  | { type: "lab-done"; lab: string; ok: boolean; durationMs: number }
  | { type: "phase-start"; lab: string; variant: string; phase: LabPhase; detail?: string }
  | {
      type: "phase-done";
      lab: string;
      variant: string;
      phase: LabPhase;
      ok: boolean;
      durationMs: number;
      detail: string;
    }
  | { type: "build-step"; lab: string; variant: string; step: string; cached: boolean }
  | { type: "verify-step"; lab: string; variant: string; message: string }
  | { type: "note"; lab: string; message: string };
