import { describe, expect, it } from "vitest";
import { ConfigError, ParseError } from "../errors.js";
import { parseReportData } from "./report-data-schema.js";
import { sampleLabRun, sampleRun } from "./test-helpers/sample-data.js";

describe("parseReportData", () => {
  it("reads back what compare --json writes", () => {
    const run = sampleRun();
    expect(parseReportData(JSON.stringify({ ...run, comparison: {}, gates: {} }))).toMatchObject({
      baseline: "single",
      variants: run.variants,
    });
  });

  it("reads a minified variant's removal audit, and says where one is malformed", () => {
    const run = sampleLabRun();
    const back = parseReportData(JSON.stringify(run));
    expect(back.variants.at(-1)?.minify?.compiled?.files).toBe(402);
    const bad = structuredClone(run);
    const m = bad.variants.at(-1)?.minify;
    if (m) (m as { level: string }).level = "extreme";
    expect(() => parseReportData(JSON.stringify(bad))).toThrow(/minify\/level/);
  });

  it("reads a lab document: one lab's run as it is, several with lab/variant names", () => {
    const run = sampleRun();
    const one = {
      schema: "slimstage.lab/v1",
      labs: [
        { name: "lab-000", report: run },
        { name: "x", report: null },
      ],
    };
    expect(parseReportData(JSON.stringify(one)).variants.map((v) => v.name)).toEqual(
      run.variants.map((v) => v.name),
    );
    const two = {
      schema: "slimstage.lab/v1",
      labs: [
        { name: "a", report: run },
        { name: "b", report: run },
      ],
    };
    const merged = parseReportData(JSON.stringify(two));
    expect(merged.baseline).toBe("a/single");
    expect(merged.variants.map((v) => v.name).slice(0, 2)).toEqual(["a/single", "a/multi"]);
    expect(merged.variants).toHaveLength(8);
    expect(() => parseReportData(JSON.stringify({ schema: "slimstage.lab/v1", labs: [] }))).toThrow(
      /no lab in it produced an image/,
    );
  });

  it("names the bad value by its JSON path, also inside a lab document", () => {
    const run = sampleRun();
    const bad = {
      ...run,
      variants: [{ ...run.variants[0], analysis: { ...run.variants[0]!.analysis, sizeBytes: "big" } }],
    };
    expect(() => parseReportData(JSON.stringify(bad), "r.json")).toThrow(
      "r.json: /variants/0/analysis/sizeBytes must be number",
    );
    const lab = { schema: "slimstage.lab/v1", labs: [{ name: "a", report: bad }] };
    try {
      parseReportData(JSON.stringify(lab));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).key).toBe("/labs/0/report/variants/0/analysis/sizeBytes");
    }
  });

  it("rejects another document, a missing baseline and duplicate names", () => {
    expect(() => parseReportData(JSON.stringify({ images: [] }))).toThrow(/must have required property/);
    expect(() => parseReportData(JSON.stringify({ ...sampleRun(), schema: "other/v9" }))).toThrow(
      /must be "slimstage.run\/v1"/,
    );
    expect(() => parseReportData(JSON.stringify({ ...sampleRun(), baseline: "zz" }))).toThrow(
      /baseline "zz"/,
    );
    const run = sampleRun();
    expect(() =>
      parseReportData(JSON.stringify({ ...run, variants: [run.variants[0], run.variants[0]] })),
    ).toThrow(/two variants share a name/);
  });

  it("gives the line and column of broken JSON", () => {
    try {
      parseReportData('{\n  "a": 1,\n  "b": [,]\n}', "x.json");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      expect((e as ParseError).location).toMatchObject({ file: "x.json", line: 3, column: 9 });
      expect((e as ParseError).sourceLine).toBe('  "b": [,]');
    }
  });
});
