/** Units as people read them in tables, charts and gate messages. */
import prettyBytes from "pretty-bytes";

/** SI units, as `docker images` shows sizes (141 MB). */
export function formatBytes(bytes: number): string {
  return prettyBytes(bytes, { maximumFractionDigits: 1 });
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** 0.4567 -> "0.46x". */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}x`;
}

/** Signed bytes: "-62.3 MB" for a saving shown as a change. */
export function formatSignedBytes(bytes: number): string {
  return prettyBytes(bytes, { maximumFractionDigits: 1, signed: true });
}
