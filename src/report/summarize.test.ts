import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeImage } from "../image/analysis/analyze.js";
import type { Analysis } from "../image/analysis/types.js";
import { openImage } from "../image/open.js";
import { HANDWORKED } from "../image/test-helpers/fixtures.js";
import { writeDockerArchive } from "../image/test-helpers/image-writer.js";
import type { VerifyResult } from "../verify/types.js";
import { compareRun } from "./compare-run.js";
import { ownerSeries, UNATTRIBUTED_KEY } from "./html/chart-data.js";
import { summarizeAnalysis, summarizeLint, summarizeVerify, variantData } from "./summarize.js";

let dir: string;
let archive: string;
let analysis: Analysis;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-summarize-"));
  archive = join(dir, "img.tar");
  await writeDockerArchive(archive, HANDWORKED);
  analysis = analyzeImage(await openImage(`docker-archive://${archive}`));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("summarizeAnalysis on the image area's hand-worked fixture", () => {
  it("keeps the sizes, the filesystem layers and the package count", () => {
    const s = summarizeAnalysis(analysis);
    expect(s.sizeBytes).toBe(analysis.totalBytes);
    expect(s.wastedBytes).toBe(analysis.wastedBytes);
    expect(s.buildOnlyBytes).toBe(analysis.buildOnlyBytes);
    expect(s.packageCount).toBe(analysis.packages.length);
    expect(s.layers.map((l) => l.index)).toEqual(
      analysis.layers.filter((l) => !l.empty).map((l) => l.layerIndex),
    );
    expect(s.id).toBe(analysis.imageId);
  });

  it("attributes every byte: owner kinds plus wasted bytes add up to the size (no 'unattributed' bar)", () => {
    const s = summarizeAnalysis(analysis);
    const owned = s.byOwnerKind.reduce((n, o) => n + o.bytes, 0);
    expect(owned + s.wastedBytes).toBe(s.sizeBytes);
    const series = ownerSeries([{ name: "x", ref: "x", analysis: s }]);
    expect(series.keys).not.toContain(UNATTRIBUTED_KEY);
    const categories = s.buildOnlyByCategory.reduce((n, c) => n + c.bytes, 0);
    expect(categories).toBe(s.buildOnlyBytes);
    expect(s.topOwners.every((o) => o.bytes > 0)).toBe(true);
  });
});

describe("compareRun without an engine (docker-archive sources)", () => {
  it("opens, analyses and compares; NAME=REF names the rows", async () => {
    const r = await compareRun({
      images: [
        { name: "a", ref: `docker-archive://${archive}` },
        { name: "b", ref: `docker-archive://${archive}` },
      ],
    });
    expect(r.comparison.rows.map((x) => [x.name, x.size.ratio, x.verify.status])).toEqual([
      ["a", 1, "not-verified"],
      ["b", 1, "not-verified"],
    ]);
    // compareRun estimates compressed sizes (the archive stores layers uncompressed); the rest is the same.
    const { compressedBytes, compressedEstimated, ...rest } = r.variants[0]!.analysis;
    const { compressedBytes: _c, compressedEstimated: _e, ...expected } = summarizeAnalysis(analysis);
    expect(rest).toEqual(expected);
    expect(compressedEstimated).toBe(true);
    expect(compressedBytes).toBeGreaterThan(0);
  });

  it("adds a baseline that is not among the images as the first row", async () => {
    const events: string[] = [];
    const r = await compareRun({
      images: [{ name: "b", ref: `docker-archive://${archive}` }],
      baseline: `base=docker-archive://${archive}`,
      onProgress: (e) => events.push(`${e.type}:${e.name}`),
    });
    expect(r.comparison.baseline).toBe("base");
    expect(r.comparison.rows.map((x) => x.name)).toEqual(["base", "b"]);
    expect(events).toEqual(["analyze:base", "done:base", "analyze:b", "done:b"]);
  });

  it("stops at once when aborted", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(
      compareRun({ images: [{ name: "a", ref: `docker-archive://${archive}` }], signal: ac.signal }),
    ).rejects.toMatchObject({ kind: "interrupted" });
  });
});

describe("summarizeVerify and summarizeLint", () => {
  const result: VerifyResult = {
    image: "app:1",
    ok: false,
    probes: [
      {
        probe: { kind: "http", port: 5000, path: "/" },
        ok: false,
        detail: "connection refused",
        durationMs: 3,
        attempts: 9,
      },
    ],
    startupMs: 1234,
    sidecars: [],
    logs: `${Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n")}\n`,
    error: "probe http :5000/ failed",
    durationMs: 5000,
  };

  it("makes a variant row: the analysis and a verification's result summarized, a summary kept as given", () => {
    const row = variantData({ name: "multi", ref: "app:1", analysis, verify: result, lint: [] });
    expect(row).toEqual({
      name: "multi",
      ref: "app:1",
      analysis: summarizeAnalysis(analysis),
      verify: summarizeVerify(result),
      lint: [],
    });
    const given = {
      passed: false,
      startupMs: null,
      peakMemoryBytes: null,
      probes: [],
      error: "did not start",
    };
    expect(variantData({ name: "x", ref: "x:1", analysis, verify: given }).verify).toBe(given);
    expect("verify" in variantData({ name: "y", ref: "y:1", analysis })).toBe(false);
  });

  it("keeps the outcome, the probes by name and the tail of the logs of a failure", () => {
    const s = summarizeVerify(result);
    expect(s).toMatchObject({
      passed: false,
      startupMs: 1234,
      peakMemoryBytes: null,
      error: "probe http :5000/ failed",
    });
    expect(s.probes).toEqual([
      { name: "http :5000/", ok: false, detail: "connection refused", durationMs: 3 },
    ]);
    expect(s.logsTail?.split("\n")).toHaveLength(40);
    expect(s.logsTail?.endsWith("line 99")).toBe(true);
    expect(summarizeVerify({ ...result, ok: true, error: undefined }).logsTail).toBeUndefined();
  });

  it("places lint findings by file, line and column", () => {
    expect(
      summarizeLint([
        {
          ruleId: "SS101",
          severity: "warning",
          message: "m",
          range: { file: "Dockerfile", start: { line: 3, column: 5 }, end: { line: 3, column: 9 } },
        },
      ]),
    ).toEqual([
      { ruleId: "SS101", severity: "warning", message: "m", file: "Dockerfile", line: 3, column: 5 },
    ]);
  });
});
