import { InputError } from "../../errors.js";

const UNITS = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"] as const;

/**
 * The one byte formatter of every output (tables, charts, messages, gates):
 * decimal units as `docker images` uses them (1 MB = 1,000,000 bytes), one
 * decimal at most, truncated ("141.2 MB", "74 MB", "512 B").
 *
 * Written by hand, to print what pretty-bytes prints with
 * `maximumFractionDigits: 1` (units.test.ts compares the two on generated
 * numbers): pretty-bytes formats through `Number#toLocaleString`, whose first
 * call initialises ICU, 34 ms of a whole `slimstage inspect --json` (0.6 s,
 * measured with --cpu-prof) for a handful of sizes.
 */
export function formatBytes(bytes: number): string {
  return format(bytes, false);
}

/** Signed bytes: "-62.3 MB" for a saving shown as a change, "+1 kB", " 0 B". */
export function formatSignedBytes(bytes: number): string {
  return format(bytes, true);
}

function format(bytes: number, signed: boolean): string {
  if (!Number.isFinite(bytes)) throw new TypeError(`Expected a finite number, got ${bytes}`);
  const n = Math.abs(bytes);
  const sign = bytes < 0 ? "-" : !signed ? "" : n === 0 ? " " : "+";
  let exponent = n >= 1 ? Math.min(Math.floor(Math.log10(n) / 3), UNITS.length - 1) : 0;
  let x = n / 1000 ** exponent;
  // log10 can round up to the boundary just below it (999999999999999): step back.
  if (x < 1 && exponent > 0) {
    x *= 1000;
    exponent -= 1;
  }
  return `${sign}${oneDecimal(x)} ${UNITS[exponent]}`;
}

/** The shortest decimal form of `x` cut (not rounded) after one fraction digit, grouped by thousands. */
function oneDecimal(x: number): string {
  const text = String(x);
  if (/e/i.test(text)) return x < 1 ? "0" : x.toFixed(0);
  const [whole = "0", fraction = ""] = text.split(".");
  const digit = fraction.slice(0, 1).replace(/0$/, "");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return digit ? `${grouped}.${digit}` : grouped;
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
