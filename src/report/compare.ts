/**
 * compare: a pure function from per-image summaries to one table with ratios
 * to a baseline. No engine, no I/O: compare-run.ts gathers the inputs.
 */
import { InputError } from "../errors.js";
import type { AnalysisSummary, VariantData, VerifySummary } from "./report-data.js";

/** One number of a row and its ratio to the baseline's (value / baseline). */
export interface Metric {
  value: number | null;
  /** null when either value is unknown, or the baseline's is 0 and this one is not. */
  ratio: number | null;
}

export type VerifyStatus = "passed" | "failed" | "not-verified";

/**
 * A saving is claimed only for a variant whose verification passed; without
 * one it is "unverified", and a failed variant's saving is "withheld".
 */
export type SavingStatus = "claimed" | "unverified" | "withheld";

export interface ComparisonRow {
  name: string;
  ref: string;
  isBaseline: boolean;
  size: Metric;
  compressedSize: Metric & { estimated: boolean };
  layers: Metric;
  wastedBytes: Metric;
  buildOnlyBytes: Metric;
  packages: Metric;
  startupMs: Metric;
  peakMemoryBytes: Metric;
  verify: { status: VerifyStatus; error?: string };
  /** Bytes saved against the baseline (negative: larger); null on the baseline row. */
  saving: { bytes: number; status: SavingStatus } | null;
}

export interface Comparison {
  baseline: string;
  rows: ComparisonRow[];
}

/** The metric keys of a row, in table order. */
export const METRIC_KEYS = [
  "size",
  "compressedSize",
  "layers",
  "wastedBytes",
  "buildOnlyBytes",
  "packages",
  "startupMs",
  "peakMemoryBytes",
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

export interface CompareOptions {
  /** Name or ref of the baseline variant; defaults to the first. */
  baseline?: string;
}

export type CompareInput = Pick<VariantData, "name" | "ref" | "analysis" | "verify">;

function ratio(value: number | null, base: number | null): number | null {
  if (value === null || base === null) return null;
  if (base === 0) return value === 0 ? 1 : null;
  return value / base;
}

function rawMetrics(a: AnalysisSummary, v: VerifySummary | undefined): Record<MetricKey, number | null> {
  return {
    size: a.sizeBytes,
    compressedSize: a.compressedBytes,
    layers: a.layers.length,
    wastedBytes: a.wastedBytes,
    buildOnlyBytes: a.buildOnlyBytes,
    packages: a.packageCount,
    startupMs: v?.startupMs ?? null,
    peakMemoryBytes: v?.peakMemoryBytes ?? null,
  };
}

/** Finds the baseline by name first, then by ref. */
export function findBaseline<T extends { name: string; ref: string }>(
  items: readonly T[],
  key: string,
): number {
  const byName = items.findIndex((i) => i.name === key);
  return byName >= 0 ? byName : items.findIndex((i) => i.ref === key);
}

/** Rows are told apart by name: two images with one name are an input error. */
export function assertUniqueNames(items: ReadonlyArray<{ name: string }>): void {
  if (items.length === 0) throw new InputError("compare needs at least one image");
  const seen = new Set<string>();
  for (const i of items) {
    if (i.name === "") throw new InputError("an image name is empty (NAME=IMAGE needs a name)");
    if (seen.has(i.name)) {
      throw new InputError(`two images are named "${i.name}"`, {
        hint: "name them apart with NAME=IMAGE, e.g. `slimstage compare single=app:1 multi=app:2`",
      });
    }
    seen.add(i.name);
  }
}

export function compareImages(inputs: readonly CompareInput[], opts: CompareOptions = {}): Comparison {
  assertUniqueNames(inputs);
  const baseIndex = opts.baseline === undefined ? 0 : findBaseline(inputs, opts.baseline);
  if (baseIndex < 0) {
    throw new InputError(`baseline "${opts.baseline}" is not one of the compared images`, {
      hint: `use one of: ${inputs.map((i) => i.name).join(", ")}`,
    });
  }
  const base = inputs[baseIndex];
  if (base === undefined) throw new Error("internal: no images to compare");
  const baseRaw = rawMetrics(base.analysis, base.verify);

  const rows = inputs.map((input, index): ComparisonRow => {
    const raw = rawMetrics(input.analysis, input.verify);
    const m = (k: MetricKey): Metric => ({ value: raw[k], ratio: ratio(raw[k], baseRaw[k]) });
    const status: VerifyStatus =
      input.verify === undefined ? "not-verified" : input.verify.passed ? "passed" : "failed";
    const isBaseline = index === baseIndex;
    return {
      name: input.name,
      ref: input.ref,
      isBaseline,
      size: m("size"),
      compressedSize: { ...m("compressedSize"), estimated: input.analysis.compressedEstimated },
      layers: m("layers"),
      wastedBytes: m("wastedBytes"),
      buildOnlyBytes: m("buildOnlyBytes"),
      packages: m("packages"),
      startupMs: m("startupMs"),
      peakMemoryBytes: m("peakMemoryBytes"),
      verify:
        status === "failed" && input.verify?.error !== undefined
          ? { status, error: input.verify.error }
          : { status },
      saving: isBaseline
        ? null
        : {
            bytes: base.analysis.sizeBytes - input.analysis.sizeBytes,
            status: status === "passed" ? "claimed" : status === "failed" ? "withheld" : "unverified",
          },
    };
  });
  return { baseline: base.name, rows };
}
