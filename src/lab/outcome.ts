/**
 * Did a variant do what its lab.yaml expects? "works": it built (or is a
 * reference image) and passed its probe. "fails": it failed where expected
 * (build or verify) and the diagnosis matches: the build error or the logs
 * match the given pattern, and the linter reported the given rules. Pure.
 */
import type { LabVariant } from "./lab-config.js";
import type { BuildFacts, LintFact, VariantOutcome, VariantStatus, VerifyFacts } from "./lab-result.js";

export interface MeasuredVariant {
  build?: BuildFacts;
  verify?: VerifyFacts;
  lint?: LintFact[];
  /** An error that stopped the variant's run outright (analysis or engine trouble). */
  error?: string;
}

export function variantStatus(m: MeasuredVariant): VariantStatus {
  if (m.build && !m.build.ok) return "build-failed";
  if (m.error !== undefined) return "error";
  if (!m.verify) return "not-verified";
  return m.verify.ok ? "works" : "verify-failed";
}

/** What to do about errors that mean "the local bases are missing". */
function hintFor(error: string | undefined): string {
  if (!error) return "";
  if (
    /no image "|No such image|pull access denied|failed to resolve source metadata|not found: manifest unknown/i.test(
      error,
    )
  ) {
    return " (a base image is missing: run `slimstage bases build`)";
  }
  return "";
}

function describeStatus(s: VariantStatus, m: MeasuredVariant): string {
  switch (s) {
    case "works":
      return "built and passed its probe";
    case "build-failed":
      return `build failed: ${m.build?.error ?? "unknown error"}${m.build?.errorAt ? ` (${m.build.errorAt})` : ""}${hintFor(m.build?.error)}`;
    case "verify-failed":
      return `built, but failed its probe: ${m.verify?.error ?? "unknown error"}`;
    case "not-verified":
      return "built, not verified";
    case "error":
      return `error: ${m.error}${hintFor(m.error)}`;
  }
}

export function judgeOutcome(variant: LabVariant, m: MeasuredVariant): VariantOutcome {
  const status = variantStatus(m);
  const what = describeStatus(status, m);
  const expect = variant.expect;
  if (expect === "works") {
    return {
      status,
      asExpected: status === "works",
      summary: status === "works" ? what : `expected to work; ${what}`,
    };
  }
  const wanted = expect.fails === "build" ? "build-failed" : "verify-failed";
  if (status !== wanted) {
    return { status, asExpected: false, summary: `expected to fail its ${expect.fails}; ${what}` };
  }
  const d = expect.diagnosis;
  const misses: string[] = [];
  const hits: string[] = [];
  if (d.build !== undefined) {
    const text = [m.build?.error ?? "", ...(m.build?.outputTail ?? [])].join("\n");
    if (new RegExp(d.build).test(text)) hits.push(`build error matches /${d.build}/`);
    else misses.push(`build error does not match /${d.build}/`);
  }
  if (d.logs !== undefined) {
    const text = [m.verify?.error ?? "", m.verify?.logsTail ?? ""].join("\n");
    if (new RegExp(d.logs).test(text)) hits.push(`logs match /${d.logs}/`);
    else misses.push(`logs do not match /${d.logs}/`);
  }
  for (const id of d.lint ?? []) {
    const f = (m.lint ?? []).find((x) => x.ruleId === id);
    if (f) hits.push(`linter: ${id}${f.line ? ` at line ${f.line}` : ""}`);
    else misses.push(`the linter did not report ${id}`);
  }
  if (misses.length > 0) {
    return {
      status,
      asExpected: false,
      summary: `failed as expected, but not with the expected diagnosis: ${misses.join("; ")} (${what})`,
    };
  }
  return { status, asExpected: true, summary: `fails as expected: ${d.explain} (${hits.join("; ")})` };
}
