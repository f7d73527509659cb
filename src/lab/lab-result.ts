/**
 * What a lab run measured, per variant and per claim. Plain data: the table,
 * the verdicts, `--json` and docs/results.md are all made from it.
 */
import type { Comparison } from "../report/compare.js";
import type { ReportData } from "../report/report-data.js";
import type { ImageFacts } from "./image-facts.js";
import type { ClaimKind, LabExpectation } from "./lab-config.js";

export interface StepFact {
  instruction: string;
  stage?: string;
  cached: boolean;
  durationMs: number;
  /** The step's error, when it is the step that failed. */
  error?: string;
  /** Last lines of the step's output. */
  output: string[];
}

export interface BuildFacts {
  ok: boolean;
  durationMs: number;
  steps: StepFact[];
  /** The build's error, one line, when it failed. */
  error?: string;
  /** `Dockerfile.multi:18` where the failing instruction is. */
  errorAt?: string;
  outputTail?: string[];
}

export interface LintFact {
  ruleId: string;
  severity: string;
  /** size, cache, security, correctness, maintainability. */
  category: string;
  message: string;
  line?: number;
}

export interface ProbeFact {
  name: string;
  ok: boolean;
  detail: string;
}

export interface VerifyFacts {
  ok: boolean;
  startupMs: number | null;
  peakMemoryBytes: number | null;
  probes: ProbeFact[];
  error?: string;
  logsTail?: string;
}

export type VariantStatus = "works" | "build-failed" | "verify-failed" | "not-verified" | "error";

export interface VariantOutcome {
  status: VariantStatus;
  /** Whether the variant did what its lab.yaml expects (works, or fails with the expected diagnosis). */
  asExpected: boolean;
  /** One line: what happened, and against the expectation. */
  summary: string;
}

export interface VariantRun {
  name: string;
  label?: string;
  dockerfile?: string;
  target?: string;
  /** The reference image used as it is, for variants that are not built. */
  image?: string;
  /** The tag the built image got. */
  tag?: string;
  expect: LabExpectation;
  lint?: LintFact[];
  build?: BuildFacts;
  facts?: ImageFacts;
  verify?: VerifyFacts;
  outcome: VariantOutcome;
}

export interface ClaimVerdict {
  id: string;
  text: string;
  /** The measure; "optimized": a claim slimstage makes about its own optimize variants. */
  kind: ClaimKind | "optimized";
  /** true or false; null when it could not be measured (a variant it needs did not build). */
  verdict: boolean | null;
  /** By how much, in numbers. */
  measured: string;
  /** Why, from the analysis. */
  why: string;
  /** The verdict the lab expects, when it states one. */
  expected?: boolean;
  /** No expectation, or the verdict is the expected one (an unmeasured claim is not). */
  asExpected: boolean;
}

export interface OriginalLint {
  file: string;
  findings: LintFact[];
}

export interface LabRun {
  name: string;
  title: string;
  seed?: string;
  dir: string;
  baseline: string;
  startedAt: string;
  durationMs: number;
  variants: VariantRun[];
  claims: ClaimVerdict[];
  /** Lint of the lab's files as written (kept for the record, not built). */
  original: OriginalLint[];
  /** Show layer history (the lab asks for it). */
  history: boolean;
  /** Every variant as expected, every claim measured and with its expected verdict. */
  ok: boolean;
  /** The run as the report and compare read it (variants that produced an image). */
  report: ReportData | null;
  /** slimstage compare's table over those variants, with ratios to the baseline. */
  comparison: Comparison | null;
}

export interface MachineInfo {
  hostname: string;
  os: string;
  kernel: string;
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  node: string;
  engine?: string;
  /** The slimstage that ran: its version, and the git commit of the checkout when run from one. */
  slimstage?: { version: string; commit?: string; uncommittedChanges?: boolean };
}

export const LAB_RUN_SCHEMA_ID = "slimstage.lab/v1";

export interface LabRunDocument {
  schema: typeof LAB_RUN_SCHEMA_ID;
  createdAt: string;
  machine: MachineInfo;
  labs: LabRun[];
  ok: boolean;
}
