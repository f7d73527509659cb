/**
 * Turns variants into the series the charts draw. Pure, so the grouping rules
 * (top owners, "other", unattributed bytes) are tested without a browser.
 */
import type { VariantData } from "../report-data.js";

export interface Segment {
  key: string;
  bytes: number;
}

export interface StackBar {
  variant: string;
  total: number;
  segments: Segment[];
}

export interface StackSeries {
  /** Legend order: largest first, then "other", then "unattributed". */
  keys: string[];
  bars: StackBar[];
}

export const OTHER_KEY = "other";
export const UNATTRIBUTED_KEY = "unattributed";
export const WASTED_KEY = "wasted (deleted or overwritten by a later layer)";

const OWNER_KIND_LABELS: Record<string, string> = {
  "os-package": "OS packages",
  python: "Python packages",
  npm: "npm packages",
  app: "app",
  cache: "caches",
  unknown: "files no package owns",
};

export function ownerKindLabel(kind: string): string {
  return OWNER_KIND_LABELS[kind] ?? kind;
}

/**
 * One stacked bar per variant from `segmentsOf`. The `maxKeys` largest keys
 * (summed over all variants) get their own colour; the rest is "other", and
 * what `totalOf` counts beyond the segments is "unattributed".
 */
export function stackSeries(
  variants: readonly VariantData[],
  segmentsOf: (v: VariantData) => Segment[],
  totalOf: (v: VariantData) => number,
  maxKeys = 9,
): StackSeries {
  const totals = new Map<string, number>();
  const perVariant = variants.map((v) => segmentsOf(v));
  for (const segs of perVariant) {
    for (const s of segs) totals.set(s.key, (totals.get(s.key) ?? 0) + s.bytes);
  }
  const ranked = [...totals.entries()]
    .filter(([, bytes]) => bytes > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const kept = new Set(ranked.slice(0, maxKeys).map(([k]) => k));
  const hasOther = ranked.length > maxKeys;

  let hasUnattributed = false;
  const bars = variants.map((v, i): StackBar => {
    const sums = new Map<string, number>();
    let attributed = 0;
    const segs = perVariant[i];
    if (segs === undefined) throw new Error(`internal: no segments for variant ${i}`);
    for (const s of segs) {
      const key = kept.has(s.key) ? s.key : OTHER_KEY;
      sums.set(key, (sums.get(key) ?? 0) + s.bytes);
      attributed += s.bytes;
    }
    const total = totalOf(v);
    if (total > attributed) {
      sums.set(UNATTRIBUTED_KEY, total - attributed);
      hasUnattributed = true;
    }
    const segments = [...kept, OTHER_KEY, UNATTRIBUTED_KEY].flatMap((key) => {
      const bytes = sums.get(key) ?? 0;
      return bytes > 0 ? [{ key, bytes }] : [];
    });
    // The bar is as long as the larger of the total and what was attributed.
    return { variant: v.name, total: Math.max(total, attributed), segments };
  });
  const keys = [...kept, ...(hasOther ? [OTHER_KEY] : []), ...(hasUnattributed ? [UNATTRIBUTED_KEY] : [])];
  return { keys, bars };
}

/** Image size stacked by owner kind, plus the bytes later layers deleted or overwrote. */
export function ownerSeries(variants: readonly VariantData[]): StackSeries {
  return stackSeries(
    variants,
    (v) => [
      ...v.analysis.byOwnerKind.map((o) => ({ key: ownerKindLabel(o.kind), bytes: o.bytes })),
      { key: WASTED_KEY, bytes: v.analysis.wastedBytes },
    ],
    (v) => v.analysis.sizeBytes,
  );
}

/** Build-only bytes stacked by category (toolchain, headers, caches...). */
export function buildOnlySeries(variants: readonly VariantData[]): StackSeries {
  return stackSeries(
    variants,
    (v) => v.analysis.buildOnlyByCategory.map((c) => ({ key: c.label, bytes: c.bytes })),
    (v) => v.analysis.buildOnlyBytes,
  );
}

/** Okabe-Ito and a few more: distinguishable with the common colour-vision deficiencies. */
const PALETTE = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#F0E442",
  "#332288",
  "#88CCEE",
  "#44AA99",
  "#882255",
  "#117733",
];

export function colorsFor(keys: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  for (const k of keys) {
    if (k === OTHER_KEY) out.set(k, "#8c8c8c");
    else if (k === UNATTRIBUTED_KEY) out.set(k, "#d0d0d0");
    else if (k === WASTED_KEY) out.set(k, "#e8838a");
    // biome-ignore lint/style/noNonNullAssertion: an index modulo the length of a constant, non-empty array
    else out.set(k, PALETTE[i++ % PALETTE.length]!);
  }
  return out;
}
