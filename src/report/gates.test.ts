import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { compareImages } from "./compare.js";
import { buildGates, evaluateGates, parseRatio, parseSize } from "./gates.js";
import { variant } from "./test-helpers/fixtures.js";

describe("parseSize", () => {
  it.each([
    ["150MB", 150e6],
    ["150 mb", 150e6],
    ["1.5GB", 1.5e9],
    ["200MiB", 200 * 1024 ** 2],
    ["80000000", 80_000_000],
    ["12k", 12_000],
    ["3B", 3],
  ])("%s -> %d", (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(["", "MB", "-5MB", "0", "12 parsecs", "1e9", "1.2.3MB"])("rejects %j", (text) => {
    expect(() => parseSize(text)).toThrow(InputError);
    expect(() => parseSize(text)).toThrow(/--max-size/);
  });
});

describe("parseRatio", () => {
  it("reads fractions and percentages", () => {
    expect(parseRatio("0.5")).toBe(0.5);
    expect(parseRatio("50%")).toBe(0.5);
    expect(parseRatio("1.1")).toBeCloseTo(1.1);
  });
  it.each(["0", "-1", "half", "%", "0%"])("rejects %j", (text) => {
    expect(() => parseRatio(text)).toThrow(/--max-ratio/);
  });
});

describe("gates", () => {
  const comparison = compareImages([
    variant("single", 430e6),
    variant("multi", 143e6),
    variant("fat", 500e6),
  ]);

  it("validates thresholds when built, before any image is analysed", () => {
    expect(() => buildGates({ maxSize: "big" })).toThrow(/--max-size: "big" is not a size/);
    expect(buildGates({})).toEqual([]);
  });

  it("checks every variant but the baseline, naming the failing gate and variant", () => {
    const out = evaluateGates(comparison, buildGates({ maxSize: "450MB" }));
    expect(out.checked).toEqual(["multi", "fat"]);
    expect(out.passed).toBe(false);
    expect(out.failures).toEqual([
      { gate: "max-size", variant: "fat", message: "fat is 500 MB, over the --max-size budget of 450 MB" },
    ]);
  });

  it("fails --max-ratio for a variant larger than the allowed fraction of the baseline", () => {
    const out = evaluateGates(comparison, buildGates({ maxRatio: "40%" }));
    expect(out.failures.map((f) => [f.gate, f.variant])).toEqual([["max-ratio", "fat"]]);
    expect(out.failures[0]!.message).toBe("fat is 1.16x of single, over the --max-ratio of 0.40x");
    expect(evaluateGates(comparison, buildGates({ maxRatio: "1.2" })).passed).toBe(true);
  });

  it("gates the only image when just one was compared", () => {
    const one = compareImages([variant("only", 200e6)]);
    const out = evaluateGates(one, buildGates({ maxSize: "150MB" }));
    expect(out.checked).toEqual(["only"]);
    expect(out.failures[0]!.gate).toBe("max-size");
  });
});
