/**
 * Size budgets for CI (`--max-size`, `--max-ratio`). Thresholds are validated
 * when the gates are built, so a typo fails before any image is analysed.
 */
import { InputError } from "../errors.js";
import { parseBytes } from "../image/format/units.js";
import type { Comparison, ComparisonRow } from "./compare.js";
import { formatBytes, formatRatio } from "./format-units.js";

export type Gate =
  | { kind: "max-size"; maxBytes: number; source: string }
  | { kind: "max-ratio"; maxRatio: number; source: string };

export interface GateSpec {
  /** A size such as "150MB", "1.2GiB", "80000000". */
  maxSize?: string;
  /** Size relative to the baseline: "0.5" or "50%". */
  maxRatio?: string;
}

export interface GateFailure {
  /** The flag that failed, e.g. "max-size". */
  gate: Gate["kind"];
  variant: string;
  message: string;
}

export interface GateOutcome {
  gates: Gate[];
  /** The variants the gates were checked on. */
  checked: string[];
  failures: GateFailure[];
  passed: boolean;
}

/** "150MB" (SI, as `docker images` shows), "150MiB" (IEC) or plain bytes; more than 0. */
export function parseSize(text: string, flag = "--max-size"): number {
  const bytes = parseBytes(text, flag);
  if (!(bytes > 0)) throw new InputError(`${flag}: the size must be greater than 0 (got "${text}")`);
  return bytes;
}

/** Parses "0.5" or "50%" into 0.5. */
export function parseRatio(text: string, flag = "--max-ratio"): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) {
    throw new InputError(`${flag}: "${text}" is not a ratio`, {
      hint: "use a fraction of the baseline's size (0.5) or a percentage (50%)",
    });
  }
  const value = Number(m[1]) / (m[2] === "%" ? 100 : 1);
  if (!(value > 0)) throw new InputError(`${flag}: the ratio must be greater than 0 (got "${text}")`);
  return value;
}

export function buildGates(spec: GateSpec): Gate[] {
  const gates: Gate[] = [];
  if (spec.maxSize !== undefined) {
    gates.push({ kind: "max-size", maxBytes: parseSize(spec.maxSize), source: spec.maxSize });
  }
  if (spec.maxRatio !== undefined) {
    gates.push({ kind: "max-ratio", maxRatio: parseRatio(spec.maxRatio), source: spec.maxRatio });
  }
  return gates;
}

/**
 * The rows a budget applies to: every variant but the baseline (the "before"),
 * or the only image when just one was compared.
 */
export function gatedRows(comparison: Comparison): ComparisonRow[] {
  if (comparison.rows.length === 1) return comparison.rows;
  return comparison.rows.filter((r) => !r.isBaseline);
}

export function evaluateGates(comparison: Comparison, gates: readonly Gate[]): GateOutcome {
  const rows = gatedRows(comparison);
  const failures: GateFailure[] = [];
  for (const gate of gates) {
    for (const row of rows) {
      const size = row.size.value;
      if (gate.kind === "max-size" && size !== null && size > gate.maxBytes) {
        failures.push({
          gate: gate.kind,
          variant: row.name,
          message: `${row.name} is ${formatBytes(size)}, over the --max-size budget of ${formatBytes(gate.maxBytes)}`,
        });
      }
      if (gate.kind === "max-ratio") {
        const r = row.size.ratio;
        if (r === null) {
          failures.push({
            gate: gate.kind,
            variant: row.name,
            message: `${row.name}: no size ratio to the baseline ${comparison.baseline} (its size is 0 or unknown)`,
          });
        } else if (r > gate.maxRatio) {
          failures.push({
            gate: gate.kind,
            variant: row.name,
            message: `${row.name} is ${formatRatio(r)} of ${comparison.baseline}, over the --max-ratio of ${formatRatio(gate.maxRatio)}`,
          });
        }
      }
    }
  }
  return { gates: [...gates], checked: rows.map((r) => r.name), failures, passed: failures.length === 0 };
}
