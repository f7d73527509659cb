/**
 * The reason a tier failed, for the report: one sentence for a build or
 * verification failure, and for a failing test stage the failing tests' own
 * output (pytest's FAILURES section, node:test's `not ok` blocks), not only
 * the runner's last line (#15 item 7). A verification failure's reason,
 * with the app's last words, is verify's (verify/failure-reason.ts).
 */
import { BuildStepError } from "../engine/build/build.js";
import { BuildError } from "../errors.js";
import { short } from "../verify/failure-reason.js";

const MAX_TEST_LINES = 60;

/** The part of a test runner's output that names the failing tests and why. */
export function failingTestOutput(lines: readonly string[]): string[] {
  const clean = lines.map((l) => l.replace(/\s+$/, ""));
  const start = clean.findIndex(
    (l) =>
      /^=+ (FAILURES|ERRORS) =+$/.test(l.trim()) || /^not ok \d+/.test(l.trim()) || /^FAIL\b/.test(l.trim()),
  );
  const from = start >= 0 ? start : Math.max(0, clean.length - MAX_TEST_LINES);
  return clean.slice(from, from + MAX_TEST_LINES).filter((l, i, a) => l !== "" || a[i - 1] !== "");
}

export function failureReason(e: Error): string {
  if (e instanceof BuildStepError) {
    if (e.step?.stage === "test" && e.step.output.length > 0) {
      return `the tests failed in the test stage (${short(e.step.instruction ?? e.step.name, 80)}; every tier runs them: fix them, or pass --no-tests to build without the test stage):\n${failingTestOutput(e.step.output).join("\n")}`;
    }
    const tail = e.outputTail
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(-3);
    const step = e.step ? short(e.step.name, 100) : "the build";
    return `build failed at ${step}${tail.length > 0 ? `: ${short(tail.join(" | "), 300)}` : ""}`;
  }
  return short(e.message, 400);
}

/**
 * A failure that the next tier would meet the same way, so falling back only
 * repeats it: the test stage (every tier runs the same one), and a build
 * refused before it started (a requirement the package index cannot serve).
 */
export function failsEveryTier(e: unknown): boolean {
  if (e instanceof BuildStepError) return e.step?.stage === "test";
  return e instanceof BuildError;
}
