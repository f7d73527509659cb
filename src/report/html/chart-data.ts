/**
 * Turns variants into the series the charts draw. Pure, so the grouping rules
 * (top owners, "other", unattributed bytes) are tested without a browser.
 */
import type { VariantData } from "../report-data.js";

export interface Segment {
  key: string;
  bytes: number;
}

export interface SizeBar {
  variant: string;
  total: number;
  segments: Segment[];
}

export interface SizeSeries {
  /** Legend order: largest first, then "other", then "unattributed". */
  keys: string[];
  bars: SizeBar[];
}

export const OTHER_KEY = "other";
export const UNATTRIBUTED_KEY = "unattributed";

export function segmentKey(category: string, owner: string): string {
  return owner === category ? category : `${category} / ${owner}`;
}

/**
 * One stacked bar per variant. The `maxKeys` largest owner/category pairs
 * (summed over all variants) get their own colour; the rest is "other", and
 * bytes the analysis did not attribute to any owner are "unattributed".
 */
export function sizeSeries(variants: readonly VariantData[], maxKeys = 9): SizeSeries {
  const totals = new Map<string, number>();
  for (const v of variants) {
    for (const b of v.analysis.breakdown) {
      const k = segmentKey(b.category, b.owner);
      totals.set(k, (totals.get(k) ?? 0) + b.bytes);
    }
  }
  const ranked = [...totals.entries()]
    .filter(([, bytes]) => bytes > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const kept = new Set(ranked.slice(0, maxKeys).map(([k]) => k));
  const hasOther = ranked.length > maxKeys;

  let hasUnattributed = false;
  const bars = variants.map((v): SizeBar => {
    const sums = new Map<string, number>();
    let attributed = 0;
    for (const b of v.analysis.breakdown) {
      const k = segmentKey(b.category, b.owner);
      const key = kept.has(k) ? k : OTHER_KEY;
      sums.set(key, (sums.get(key) ?? 0) + b.bytes);
      attributed += b.bytes;
    }
    const rest = v.analysis.sizeBytes - attributed;
    if (rest > 0) {
      sums.set(UNATTRIBUTED_KEY, rest);
      hasUnattributed = true;
    }
    const order = [...kept, OTHER_KEY, UNATTRIBUTED_KEY];
    const segments = order.flatMap((key) => {
      const bytes = sums.get(key) ?? 0;
      return bytes > 0 ? [{ key, bytes }] : [];
    });
    // The bar is as long as the larger of the image size and what was attributed.
    return { variant: v.name, total: Math.max(v.analysis.sizeBytes, attributed), segments };
  });
  const keys = [...kept, ...(hasOther ? [OTHER_KEY] : []), ...(hasUnattributed ? [UNATTRIBUTED_KEY] : [])];
  return { keys, bars };
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
    else out.set(k, PALETTE[i++ % PALETTE.length]!);
  }
  return out;
}
