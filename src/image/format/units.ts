import { InputError } from "../../errors.js";

/** Decimal units, as `docker images` prints them (1 MB = 1,000,000 bytes). */
export function formatBytes(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n / 1000;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 || v <= -100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
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
