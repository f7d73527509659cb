import prettyBytes from "pretty-bytes";
import { InputError } from "../../errors.js";

/**
 * The one byte formatter of every output (tables, charts, messages, gates):
 * decimal units as `docker images` uses them (1 MB = 1,000,000 bytes), one
 * decimal at most ("141.2 MB", "74 MB", "512 B").
 */
export function formatBytes(bytes: number): string {
  return prettyBytes(bytes, { maximumFractionDigits: 1 });
}

/** Signed bytes: "-62.3 MB" for a saving shown as a change. */
export function formatSignedBytes(bytes: number): string {
  return prettyBytes(bytes, { maximumFractionDigits: 1, signed: true });
}

export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

const UNIT_FACTORS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** Parses "150MB", "1.5 GiB", "200000": decimal or binary units, case-insensitive. */
export function parseBytes(text: string, what = "size"): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const factor = m ? UNIT_FACTORS[(m[2] ?? "").toLowerCase()] : undefined;
  if (!m || factor === undefined) {
    throw new InputError(`${what}: ${JSON.stringify(text)} is not a size`, {
      hint: "use a number with an optional unit: 150MB, 1.5GB, 512MiB",
    });
  }
  return Math.round(Number(m[1]) * factor);
}
