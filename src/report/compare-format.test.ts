import { describe, expect, it } from "vitest";
import { compareImages } from "./compare.js";
import {
  COLUMNS,
  comparisonDocument,
  formatComparisonMarkdown,
  formatComparisonTty,
  rowCells,
} from "./compare-format.js";
import { buildGates, evaluateGates } from "./gates.js";
import { analysis, variant, verified } from "./test-helpers/fixtures.js";

const variants = [
  variant("single", 430e6, { verify: verified(true), analysis: analysis(430e6, { buildOnlyBytes: 250e6 }) }),
  variant("slim", 60e6, { verify: verified(false) }),
  variant("multi", 143e6, { verify: verified(true, { startupMs: 425, peakMemoryBytes: 16e6 }) }),
  variant("a|b", 143e6, { analysis: analysis(143e6, { compressedBytes: null, compressedEstimated: false }) }),
];
const c = compareImages(variants);
/** The start of an ANSI colour sequence. */
const ESC = `${String.fromCharCode(27)}[`;

describe("rowCells", () => {
  it("shows values with their ratio, the baseline plainly, and what was not measured as -", () => {
    const [single, slim, multi, ab] = c.rows.map(rowCells);
    expect(single).toHaveLength(COLUMNS.length);
    expect(single!.slice(0, 3)).toEqual(["single (baseline)", "430 MB", "172 MB (est.)"]);
    expect(multi![1]).toBe("143 MB 0.33x");
    expect(multi![7]).toBe("425 ms 0.50x");
    expect(slim![7]).toBe("-");
    expect(ab![2]).toBe("-");
    expect([single![10], slim![10], multi![10], ab![10]]).toEqual([
      "baseline",
      "not claimed (failed)",
      "287 MB",
      "287 MB (unverified)",
    ]);
    expect([single![9], slim![9], ab![9]]).toEqual(["passed", "FAILED", "not verified"]);
  });

  it("writes a larger variant's difference as larger, not as a saving", () => {
    const grown = compareImages([
      variant("single", 141e6),
      variant("multi", 155e6, { verify: verified(true) }),
    ]);
    expect(rowCells(grown.rows[1]!)[10]).toBe("14 MB larger");
  });
});

describe("formatComparisonMarkdown", () => {
  it("is a GFM table with numbers right-aligned, pipes escaped and the notes below", () => {
    const md = formatComparisonMarkdown(c, { gates: evaluateGates(c, buildGates({ maxSize: "100MB" })) });
    const lines = md.split("\n");
    expect(lines[0]).toMatch(/^\| variant +\| +size \|/);
    expect(lines[1]).toMatch(/^\| :-+ \| -+: \|/);
    expect(md).toContain("| a\\|b ");
    expect(lines.filter((l) => l.startsWith("|"))).toHaveLength(2 + variants.length);
    expect(md).toContain("- slim failed verification: probe http://:5000/ failed: connection refused");
    expect(md).toContain("- gate max-size failed: multi is 143 MB, over the --max-size budget of 100 MB");
  });
});

describe("formatComparisonTty", () => {
  it("has no colour unless asked, and no trailing blanks", () => {
    const plain = formatComparisonTty(c);
    expect(plain).not.toContain(ESC);
    expect(plain.split("\n").every((l) => l === l.trimEnd())).toBe(true);
    expect(plain).toContain("est. = compressed size estimated locally");
    expect(formatComparisonTty(c, { color: true })).toContain(ESC);
  });

  it("says the gates passed, naming them", () => {
    const ok = formatComparisonTty(c, { gates: evaluateGates(c, buildGates({ maxRatio: "50%" })) });
    expect(ok).toContain("gates passed (--max-ratio 50%)");
  });

  it("leaves the estimate note out when nothing was estimated", () => {
    const none = compareImages([
      variant("x", 1e6, { analysis: analysis(1e6, { compressedBytes: null, compressedEstimated: false }) }),
    ]);
    expect(formatComparisonTty(none)).not.toContain("est.");
  });
});

describe("comparisonDocument", () => {
  it("is a run document with the comparison and the gates", () => {
    const gates = evaluateGates(c, buildGates({ maxSize: "1GB" }));
    const doc = comparisonDocument(variants, c, { gates, createdAt: new Date(0), title: "t" });
    expect(doc).toMatchObject({
      schema: "slimstage.run/v1",
      title: "t",
      createdAt: "1970-01-01T00:00:00.000Z",
      baseline: "single",
      comparison: c,
      gates: { passed: true },
    });
    expect(doc.variants).toEqual(variants);
  });
});
