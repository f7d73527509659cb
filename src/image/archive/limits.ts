import type { ReadLimits } from "../model.js";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Defaults that keep memory and time bounded on hostile archives, yet fit real images. */
export const DEFAULT_LIMITS: ReadLimits = {
  maxMetaFileBytes: 16 * MiB,
  maxJsonBytes: 16 * MiB,
  maxUncompressedBytes: 64 * GiB,
  // gzip cannot exceed ~1032:1, so anything above is a crafted stream; real layers
  // of zero-filled files come close, hence the minimum size before it applies.
  maxCompressionRatio: 1100,
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
