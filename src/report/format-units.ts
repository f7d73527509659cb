/** Units as people read them in tables, charts and gate messages; bytes from the one formatter. */
export { formatBytes, formatSignedBytes } from "../image/format/units.js";

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** 0.4567 -> "0.46x". */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}x`;
}
