import fc from "fast-check";
import prettyBytes from "pretty-bytes";
import { describe, expect, it } from "vitest";
import { formatBytes, formatSignedBytes } from "./units.js";

// The hand-written formatter must print what pretty-bytes prints (see units.ts for why it exists).
describe("formatBytes", () => {
  const sizes = fc.oneof(
    fc.integer({ min: -(2 ** 53 - 1), max: 2 ** 53 - 1 }),
    fc.double({ min: -1e24, max: 1e24, noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(
      0,
      -0,
      1,
      999,
      1000,
      999_950,
      999_999,
      1_000_000,
      141_290_000,
      999_999_999_999_999,
      0.5,
      1e-7,
    ),
  );

  it("prints what pretty-bytes prints with one fraction digit", () => {
    fc.assert(
      fc.property(sizes, (n) => {
        expect(formatBytes(n)).toBe(prettyBytes(n, { maximumFractionDigits: 1 }));
        expect(formatSignedBytes(n)).toBe(prettyBytes(n, { maximumFractionDigits: 1, signed: true }));
      }),
      { numRuns: 5000 },
    );
  });

  it("reads as docker images does", () => {
    expect(formatBytes(141_290_000)).toBe("141.2 MB");
    expect(formatBytes(74_000_000)).toBe("74 MB");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatSignedBytes(-62_300_000)).toBe("-62.3 MB");
    expect(formatSignedBytes(0)).toBe(" 0 B");
    expect(() => formatBytes(Number.NaN)).toThrow(TypeError);
  });
});
