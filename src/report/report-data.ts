/**
 * The typed input of `compare` and of the HTML report: one summary per image
 * variant, small and JSON-serialisable, so that `slimstage compare --json`,
 * `slimstage lab --json` and `slimstage report --from run.json` share one
 * format. The full `Analysis` (file trees) and `VerifyResult` (logs) stay in
 * their areas; adapters in summarize.ts turn them into these summaries.
 */

/** Bytes of the final tree per owner kind: "os-package", "python", "npm", "app", "cache", "unknown". */
export interface OwnerKindBytes {
  kind: string;
  bytes: number;
}

/** One owner (a package, the app, a cache) and its bytes. */
export interface OwnerSummary {
  kind: string;
  name: string;
  bytes: number;
}

/** Build-only content of one category (toolchain, headers, static-libs, pm-cache, tests, docs). */
export interface CategorySummary {
  category: string;
  label: string;
  bytes: number;
}

export interface LayerSummary {
  /** 0-based position in the image. */
  index: number;
  /** Uncompressed size of the layer's content. */
  sizeBytes: number;
  /** The instruction that made it (history `created_by`), when known. */
  createdBy?: string;
  /** Bytes in this layer that a later layer deletes or overwrites. */
  wastedBytes?: number;
}

/** A finding about an image's content (from `slimstage inspect`). */
export interface InspectFindingSummary {
  id: string;
  message: string;
  bytes?: number;
}

/** What compare and the report read from one image analysis. */
export interface AnalysisSummary {
  /** Image id (sha256:...) when known. */
  id?: string;
  /** Uncompressed bytes of all layers (what is stored and shipped), as `docker images` reports it. */
  sizeBytes: number;
  /** Compressed (transfer) size; null when unknown. */
  compressedBytes: number | null;
  /** True when compressedBytes was estimated by compressing locally rather than read from a registry manifest. */
  compressedEstimated: boolean;
  layers: LayerSummary[];
  wastedBytes: number;
  /** Bytes of build-only content (compilers, headers, caches) that a runtime image does not need. */
  buildOnlyBytes: number;
  /** Installed packages (OS + language); null when the analysis could not count them. */
  packageCount: number | null;
  /** Bytes of the final tree by owner kind; with wastedBytes they add up to sizeBytes. */
  byOwnerKind: OwnerKindBytes[];
  /** The largest owners (packages, app, caches), largest first; a bounded list. */
  topOwners: OwnerSummary[];
  /** Build-only bytes by category; they add up to buildOnlyBytes. */
  buildOnlyByCategory: CategorySummary[];
  findings: InspectFindingSummary[];
}

export interface ProbeSummary {
  name: string;
  ok: boolean;
  detail?: string;
  durationMs?: number;
}

/** What compare and the report read from one verification run. */
export interface VerifySummary {
  passed: boolean;
  /** Time from starting the container to its first successful probe. */
  startupMs: number | null;
  /** Peak memory from the engine's stats. */
  peakMemoryBytes: number | null;
  probes: ProbeSummary[];
  /** Why it failed, when it did. */
  error?: string;
  /** The tail of the container's logs, kept on failure. */
  logsTail?: string;
  /** Differential verification against the baseline: the request set and how many answers matched. */
  differential?: {
    against: string;
    requests: number;
    identical: number;
    differing: number;
    masked: number;
    /** Each differing request with what differs (both answers). */
    differences: { request: string; source: string; detail: string }[];
  };
}

/** A Dockerfile lint finding, as the report shows it. */
export interface LintFindingSummary {
  ruleId: string;
  severity: "error" | "warning" | "info" | "style";
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

/** What `minify` removed and kept, and why (the removal audit), as the report shows it. */
export interface MinifySummary {
  level: "safe" | "tight";
  source: { files: number; bytes: number };
  kept: { files: number; bytes: number };
  removed: { files: number; bytes: number };
  /** Library sources shipped as sourceless bytecode: the .pyc files in the image, and the sources they replaced. */
  compiled?: { files: number; bytes: number; sourceFiles: number; sourceBytes: number };
  /** Removed, by owner ("debian:perl-base", "python:pip"), largest first (at most 12). */
  removedByOwner: Array<{ owner: string; files: number; bytes: number }>;
  keptByReason: Array<{ reason: string; files: number; bytes: number }>;
  /** Where the trace is thin: units kept in part, computed imports. */
  warnings: string[];
}

export interface VariantData {
  /** Short name shown in tables and charts (e.g. "single", "multi"). */
  name: string;
  /** Image reference it was analysed from (docker://..., an id, a tag). */
  ref: string;
  analysis: AnalysisSummary;
  /** Absent when no verification ran: shown as "not verified". */
  verify?: VerifySummary;
  /** Lint findings of the Dockerfile that built this variant. */
  lint?: LintFindingSummary[];
  /** The removal audit, for an image slimstage minified. */
  minify?: MinifySummary;
}

/** A lab's claim and its verdict, as the report leads with them. */
export interface ClaimSummary {
  id: string;
  /** The lab the claim belongs to, when a report holds several labs. */
  lab?: string;
  text: string;
  /** null: it could not be measured. */
  verdict: boolean | null;
  /** By how much, in numbers. */
  measured: string;
  /** Why, from the analysis. */
  why: string;
  /** The verdict the lab expects, when it states one. */
  expected?: boolean;
  /** No expectation (and measured), or the expected verdict. */
  asExpected: boolean;
}

export const REPORT_DATA_SCHEMA_ID = "slimstage.run/v1";

/**
 * One run: what `compare --json` writes and `report --from` reads (also what
 * `slimstage lab --json` passes on). `baseline` names one of the variants.
 */
export interface ReportData {
  schema: typeof REPORT_DATA_SCHEMA_ID;
  title?: string;
  /** ISO 8601 time of the run. */
  createdAt: string;
  baseline: string;
  variants: VariantData[];
  /** A lab's claims and verdicts (`slimstage lab`); absent for compare. */
  claims?: ClaimSummary[];
}
