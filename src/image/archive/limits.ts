import type { ReadLimits } from "../model.js";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Defaults that keep memory and time bounded on hostile archives, yet fit real images. */
export const DEFAULT_LIMITS: ReadLimits = {
  maxMetaFileBytes: 16 * MiB,
  maxJsonBytes: 16 * MiB,
  maxUncompressedBytes: 64 * GiB,
  // gzip reaches ~1032:1 on zeros, real layers 2:1 to 20:1 (a few big zero-filled
  // files: up to ~100:1). 200:1 past 256 MiB stops a bomb after at most ~1.3 MiB
  // of input per 256 MiB; an image that really compresses this well can raise it.
  maxCompressionRatio: 200,
  bombMinBytes: 256 * MiB,
  // Memory grows with the number of files (about 0.85 kB each, analysis included), not with their bytes.
  maxEntries: 2_000_000,
};

export function resolveLimits(partial: Partial<ReadLimits> | undefined): ReadLimits {
  return { ...DEFAULT_LIMITS, ...partial };
}

/** Shared across the layers of one image: totals that must not grow without bound. */
export class ReadBudget {
  uncompressedBytes = 0;
  entries = 0;
  metaBytes = 0;
  constructor(readonly limits: ReadLimits) {}
}
