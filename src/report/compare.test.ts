import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { compareImages } from "./compare.js";
import { analysis, variant, verified } from "./test-helpers/fixtures.js";

describe("compareImages", () => {
  it("takes the first image as baseline and gives ratios to it", () => {
    const c = compareImages([
      variant("single", 430_000_000, { analysis: analysis(430_000_000, { buildOnlyBytes: 250_000_000 }) }),
      variant("multi", 143_000_000),
    ]);
    expect(c.baseline).toBe("single");
    const [base, multi] = c.rows;
    expect(base!.isBaseline).toBe(true);
    expect(base!.size).toEqual({ value: 430_000_000, ratio: 1 });
    expect(base!.saving).toBeNull();
    expect(multi!.size.ratio).toBeCloseTo(143 / 430, 6);
    expect(multi!.layers).toEqual({ value: 2, ratio: 1 });
    // The baseline has 250 MB build-only content, the variant none.
    expect(multi!.buildOnlyBytes).toEqual({ value: 0, ratio: 0 });
    expect(multi!.saving).toEqual({ bytes: 287_000_000, status: "unverified" });
    expect(multi!.verify.status).toBe("not-verified");
  });

  it("picks the baseline by name or by ref", () => {
    const inputs = [variant("a", 100), variant("b", 50)];
    expect(compareImages(inputs, { baseline: "b" }).baseline).toBe("b");
    expect(compareImages(inputs, { baseline: "lab000:b" }).baseline).toBe("b");
    expect(compareImages(inputs, { baseline: "b" }).rows[0]!.size.ratio).toBe(2);
  });

  it("rejects an unknown baseline, duplicate names and an empty list", () => {
    expect(() => compareImages([variant("a", 1)], { baseline: "zzz" })).toThrow(InputError);
    expect(() => compareImages([variant("a", 1), variant("a", 2)])).toThrow(/two images are named "a"/);
    expect(() => compareImages([])).toThrow(InputError);
  });

  it("withholds the saving of a variant that failed verification, claims a passing one", () => {
    const c = compareImages([
      variant("single", 141e6, { verify: verified(true) }),
      variant("slim", 60e6, { verify: verified(false) }),
      variant("multi", 120e6, { verify: verified(true, { startupMs: 425, peakMemoryBytes: 16e6 }) }),
    ]);
    const [, slim, multi] = c.rows;
    expect(slim!.verify).toEqual({
      status: "failed",
      error: "probe http://:5000/ failed: connection refused",
    });
    expect(slim!.saving).toEqual({ bytes: 81e6, status: "withheld" });
    expect(slim!.startupMs).toEqual({ value: null, ratio: null });
    expect(multi!.saving).toEqual({ bytes: 21e6, status: "claimed" });
    expect(multi!.startupMs).toEqual({ value: 425, ratio: 0.5 });
    expect(multi!.peakMemoryBytes.ratio).toBe(0.5);
  });

  it("has no ratio where a value is unknown or the baseline is 0", () => {
    const c = compareImages([
      variant("a", 100, { analysis: analysis(100, { packageCount: null, compressedBytes: null }) }),
      variant("b", 50, { analysis: analysis(50, { wastedBytes: 10 }) }),
      variant("c", 50),
    ]);
    expect(c.rows[1]!.packages).toEqual({ value: 100, ratio: null });
    expect(c.rows[1]!.compressedSize.ratio).toBeNull();
    expect(c.rows[1]!.wastedBytes).toEqual({ value: 10, ratio: null });
    expect(c.rows[2]!.wastedBytes).toEqual({ value: 0, ratio: 1 });
  });

  it("records a larger variant as a negative saving", () => {
    const c = compareImages([variant("single", 141e6), variant("multi", 155e6, { verify: verified(true) })]);
    expect(c.rows[1]!.saving).toEqual({ bytes: -14e6, status: "claimed" });
  });
});
