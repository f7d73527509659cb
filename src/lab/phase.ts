import { EngineError, InterruptedError } from "../errors.js";
import type { LabPhase, LabProgressEvent } from "./events.js";

/** What a phase's work came to: its value, or the error that is the phase's failure. */
export type PhaseOutcome<T> = { ok: true; value: T } | { ok: false; error: Error };

export interface PhaseSpec<T> {
  emit: (e: LabProgressEvent) => void;
  at: { lab: string; variant: string };
  phase: LabPhase;
  /** Shown with the phase's start (the file built, the image analysed). */
  detail?: string;
  /** The phase's verdict and its one-line detail, from its outcome. */
  done: (outcome: PhaseOutcome<T>) => { ok: boolean; detail: string };
  /**
   * Which errors are the phase's failure (reported, then returned); any other ends the run
   * and is thrown without a phase-done. Default: all but an interruption or a lost engine.
   */
  failsWith?: (e: unknown) => boolean;
}

const recoverable = (e: unknown): boolean => !(e instanceof InterruptedError || e instanceof EngineError);

/**
 * One phase of a lab variant (lint, build, analyze, verify): reports its start, times it,
 * and reports its end with what `done` makes of the outcome. The one place the lab times
 * its phases, so every phase-start has its phase-done and every duration is measured alike.
 */
export async function runPhase<T>(
  spec: PhaseSpec<T>,
  work: () => Promise<T>,
): Promise<{ outcome: PhaseOutcome<T>; durationMs: number }> {
  const { emit, at, phase } = spec;
  emit({ type: "phase-start", ...at, phase, ...(spec.detail !== undefined ? { detail: spec.detail } : {}) });
  const started = Date.now();
  let outcome: PhaseOutcome<T>;
  try {
    outcome = { ok: true, value: await work() };
  } catch (e) {
    if (!(spec.failsWith ?? recoverable)(e)) throw e;
    outcome = { ok: false, error: e instanceof Error ? e : new Error(String(e)) };
  }
  const durationMs = Date.now() - started;
  emit({ type: "phase-done", ...at, phase, durationMs, ...spec.done(outcome) });
  return { outcome, durationMs };
}
