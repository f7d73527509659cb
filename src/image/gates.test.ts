import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import type { Analysis } from "./analysis/types.js";
import { buildGates, evaluateGates } from "./gates.js";

const analysis = {
  totalBytes: 200_000_000,
  finalBytes: 150_000_000,
  wastedBytes: 50_000_000,
  efficiency: 0.75,
  buildOnlyBytes: 30_000_000,
} as unknown as Analysis;

describe("gates", () => {
  it("validate thresholds when built, naming the flag", () => {
    expect(() => buildGates({ maxSize: "big" })).toThrow(ConfigError);
    expect(() => buildGates({ maxSize: "10%" })).toThrow(/--max-size takes a size/);
    expect(() => buildGates({ minEfficiency: "1.5" })).toThrow(/--min-efficiency: "1.5" is not a ratio/);
    expect(() => buildGates({ minEfficiency: "120%" })).toThrow(/ratio between 0 and 1/);
    expect(() => buildGates({ maxWaste: "-3MB" })).toThrow(/--max-waste/);
    expect(() => buildGates({ maxBuildOnly: "12 parsecs" })).toThrow(/--max-build-only/);
  });

  it("pass and fail on sizes, percentages and ratios", () => {
    const results = evaluateGates(
      buildGates({ maxSize: "150MB", maxWaste: "30%", minEfficiency: "0.7", maxBuildOnly: "25MB" }),
      analysis,
    );
    expect(results.map((r) => [r.gate, r.passed])).toEqual([
      ["max-size", false],
      ["max-waste", true],
      ["max-build-only", false],
      ["min-efficiency", true],
    ]);
    expect(results[0]!.message).toBe("max-size: image size is 200 MB, over the limit of 150 MB");
    expect(results[1]!.actual).toBeCloseTo(0.25);
    expect(evaluateGates(buildGates({ minEfficiency: "80%" }), analysis)[0]).toMatchObject({
      passed: false,
      message: "min-efficiency: efficiency is 75.0%, below the minimum of 80.0%",
    });
    expect(evaluateGates(buildGates({ maxSize: "1GiB" }), analysis)[0]!.passed).toBe(true);
  });

  it("builds no gates from an empty spec", () => {
    expect(buildGates({})).toEqual([]);
  });
});
