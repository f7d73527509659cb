import { ConfigError } from "../errors.js";
import type { Analysis } from "./analysis/types.js";
import { formatBytes, formatPercent, parseBytes } from "./format/units.js";

export type GateName = "max-size" | "max-waste" | "min-efficiency" | "max-build-only";

/** Thresholds as a user writes them: "200MB", "5%", "0.9", or numbers (bytes, ratio). */
export interface GateSpec {
  maxSize?: string | number;
  maxWaste?: string | number;
  minEfficiency?: string | number;
  maxBuildOnly?: string | number;
}

export interface GateResult {
  gate: GateName;
  passed: boolean;
  /** The threshold in the gate's unit (bytes, or a ratio for min-efficiency / percentages). */
  limit: number;
  actual: number;
  unit: "bytes" | "ratio";
  message: string;
}

/** A validated gate: thresholds are checked when it is built, not when it runs. */
export interface Gate {
  readonly name: GateName;
  readonly description: string;
  check(a: Analysis): GateResult;
}

type Limit = { kind: "bytes"; value: number } | { kind: "ratio"; value: number };

function parseRatio(raw: string | number, flag: string): number {
  const text = String(raw).trim();
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  const v = pct ? Number(pct[1]) / 100 : /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(v) || v < 0 || v > 1) {
    throw new ConfigError(
      `--${flag}: ${JSON.stringify(text)} is not a ratio between 0 and 1 (or 0% to 100%)`,
      {
        key: flag,
      },
    );
  }
  return v;
}

/** Bytes ("150MB") or a share of the image ("10%"). */
function parseLimit(raw: string | number, flag: string): Limit {
  const text = String(raw).trim();
  if (text.endsWith("%")) return { kind: "ratio", value: parseRatio(text, flag) };
  try {
    const v = parseBytes(text, `--${flag}`);
    if (v < 0) throw new Error("negative");
    return { kind: "bytes", value: v };
  } catch {
    throw new ConfigError(
      `--${flag}: ${JSON.stringify(text)} is not a size (150MB, 1.5GB, 512MiB) or a percentage`,
      {
        key: flag,
      },
    );
  }
}

function byteGate(
  name: GateName,
  limit: Limit,
  what: string,
  actualOf: (a: Analysis) => number,
  wholeOf: (a: Analysis) => number,
): Gate {
  const shown = limit.kind === "bytes" ? formatBytes(limit.value) : formatPercent(limit.value);
  return {
    name,
    description: `${what} at most ${shown}`,
    check(a) {
      const bytes = actualOf(a);
      const whole = wholeOf(a);
      const actual = limit.kind === "bytes" ? bytes : whole === 0 ? 0 : bytes / whole;
      const passed = actual <= limit.value;
      const shownActual =
        limit.kind === "bytes" ? formatBytes(bytes) : `${formatPercent(actual)} (${formatBytes(bytes)})`;
      return {
        gate: name,
        passed,
        limit: limit.value,
        actual,
        unit: limit.kind,
        message: `${name}: ${what} is ${shownActual}, ${passed ? "within" : "over"} the limit of ${shown}`,
      };
    },
  };
}

/** Builds the gates of a spec; a bad threshold is a ConfigError here, before any image is read. */
export function buildGates(spec: GateSpec): Gate[] {
  const gates: Gate[] = [];
  if (spec.maxSize !== undefined) {
    const l = parseLimit(spec.maxSize, "max-size");
    if (l.kind === "ratio")
      throw new ConfigError("--max-size takes a size (200MB), not a percentage", { key: "max-size" });
    gates.push(
      byteGate(
        "max-size",
        l,
        "image size",
        (a) => a.totalBytes,
        (a) => a.totalBytes,
      ),
    );
  }
  if (spec.maxWaste !== undefined) {
    gates.push(
      byteGate(
        "max-waste",
        parseLimit(spec.maxWaste, "max-waste"),
        "wasted space",
        (a) => a.wastedBytes,
        (a) => a.totalBytes,
      ),
    );
  }
  if (spec.maxBuildOnly !== undefined) {
    gates.push(
      byteGate(
        "max-build-only",
        parseLimit(spec.maxBuildOnly, "max-build-only"),
        "build-only content",
        (a) => a.buildOnlyBytes,
        (a) => a.finalBytes,
      ),
    );
  }
  if (spec.minEfficiency !== undefined) {
    const min = parseRatio(spec.minEfficiency, "min-efficiency");
    gates.push({
      name: "min-efficiency",
      description: `efficiency at least ${formatPercent(min)}`,
      check(a) {
        const passed = a.efficiency >= min;
        return {
          gate: "min-efficiency",
          passed,
          limit: min,
          actual: a.efficiency,
          unit: "ratio",
          message: `min-efficiency: efficiency is ${formatPercent(a.efficiency)}, ${passed ? "at or above" : "below"} the minimum of ${formatPercent(min)}`,
        };
      },
    });
  }
  return gates;
}

export function evaluateGates(gates: readonly Gate[], a: Analysis): GateResult[] {
  return gates.map((g) => g.check(a));
}
