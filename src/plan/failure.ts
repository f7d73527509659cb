/**
 * The reason a tier failed, for the report: one sentence for a build or
 * verification failure, and for a failing test stage the failing tests' own
 * output (pytest's FAILURES section, node:test's `not ok` blocks), not only
 * the runner's last line (#15 item 7); for a verification failure, the
 * app's last words (#15 item 4: `exec sh failed` says more than "no address").
 */
import { BuildStepError } from "../engine/build/build.js";
import { BuildError } from "../errors.js";
import type { VerifyResult } from "../verify/types.js";

const MAX_TEST_LINES = 60;

function short(text: string, max = 140): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}

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

/** Why verification failed, with the last lines of the app's output when it printed any. */
export function verifyFailureReason(v: Pick<VerifyResult, "error" | "logTail" | "logs">): string {
  const error = v.error ?? "a probe failed";
  const lines = (v.logTail ?? v.logs?.split("\n") ?? []).map((l) => l.trim()).filter(Boolean);
  // The last line that names an error says more than a runtime's closing banner
  // (Node ends a crash with its stack and "Node.js v22..."; Python with the exception).
  const named = [...lines].reverse().find((l) => /^(\w+\.)*\w*(Error|Exception)\b|^Uncaught\b/.test(l));
  const tail = lines.slice(-2).join(" | ");
  const reason =
    named && !tail.includes(named)
      ? `${error}; the app failed with: ${short(named, 300)} (its output ends: ${short(tail, 150)})`
      : tail
        ? `${error}; the app's output ends: ${short(tail, 300)}`
        : error;
  const host = unresolvedHost(lines);
  return host ? `${reason}. ${missingHostHint(host)}` : reason;
}

/** A host name the app could not resolve, as Node, redis-py and libpq say it. */
const UNRESOLVED =
  /getaddrinfo (?:ENOTFOUND|EAI_AGAIN) ([\w.-]+)|Error -[23] connecting to ([\w.-]+):\d+|could not translate host name "([\w.-]+)"/;

function unresolvedHost(lines: readonly string[]): string | undefined {
  for (const l of lines) {
    const m = UNRESOLVED.exec(l);
    const host = m?.[1] ?? m?.[2] ?? m?.[3];
    if (host) return host;
  }
  return undefined;
}

/** What to do about a service the app needs that verification did not start. */
function missingHostHint(host: string): string {
  return `The app looked up the host ${host} and nothing answers to that name: verification starts as sidecars only the compose service's depends_on (--compose FILE --service NAME picks the service); add ${host} to that service's depends_on`;
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
