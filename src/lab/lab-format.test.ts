import { describe, expect, it } from "vitest";
import type { ImageFacts } from "./image-facts.js";
import { formatLabMarkdown, formatLabTty, tableRows, unexpectedResults } from "./lab-format.js";
import type { LabRun, LabRunDocument } from "./lab-result.js";
import { renderResults } from "./results-markdown.js";

const MB = 1_000_000;

function facts(size: number, layers: number): ImageFacts {
  return {
    ref: "x",
    imageId: "sha256:0",
    sizeBytes: size,
    finalBytes: size,
    compressedBytes: null,
    layers,
    historyEntries: layers + 2,
    history: [
      { createdBy: "", sizeBytes: 74.4 * MB, wastedBytes: 0, changedBytes: 0, empty: false },
      {
        createdBy: "/bin/sh -c apt-get update && apt-get install -y python3",
        sizeBytes: 44 * MB,
        wastedBytes: 0,
        changedBytes: 0,
        empty: false,
      },
      { createdBy: 'CMD ["python3" "app.py"]', sizeBytes: 0, wastedBytes: 0, changedBytes: 0, empty: true },
    ],
    wastedBytes: 0,
    wastedBy: [],
    buildOnlyBytes: 2 * MB,
    byCategory: [],
    byOwnerKind: {},
    packages: [],
    user: "",
    cmd: null,
    entrypoint: null,
  };
}

const run: LabRun = {
  name: "lab-004",
  title: "three images",
  seed: "004",
  dir: "/x/examples/lab-004",
  baseline: "python-slim",
  startedAt: "2026-11-22T12:00:00.000Z",
  durationMs: 61_000,
  history: true,
  ok: false,
  report: null,
  comparison: null,
  original: [
    {
      file: "original/Dockerfile",
      findings: [{ ruleId: "SS305", severity: "warning", category: "security", message: "latest" }],
    },
  ],
  variants: [
    {
      name: "python-slim",
      label: "python:slim",
      image: "python:3.11-slim",
      expect: "works",
      facts: facts(134 * MB, 5),
      verify: { ok: true, startupMs: 400, peakMemoryBytes: null, probes: [] },
      outcome: { status: "works", asExpected: true, summary: "built and passed its probe" },
    },
    {
      name: "multistage",
      dockerfile: "Dockerfile.multistage",
      expect: "works",
      facts: facts(118.6 * MB, 4),
      outcome: { status: "works", asExpected: true, summary: "built and passed its probe" },
    },
    {
      name: "broken",
      dockerfile: "Dockerfile.broken",
      expect: { fails: "build", diagnosis: { build: "x", explain: "no venv" } },
      build: { ok: false, durationMs: 1, steps: [], error: "not found" },
      outcome: { status: "build-failed", asExpected: true, summary: "fails as expected: no venv" },
    },
  ],
  claims: [
    {
      id: "a",
      text: "multi | is smaller",
      kind: "smaller",
      verdict: true,
      measured: "15.4 MB smaller",
      why: "because",
      asExpected: true,
    },
    {
      id: "b",
      text: "never measured",
      kind: "works",
      verdict: null,
      measured: "not measured",
      why: "no image",
      asExpected: false,
    },
  ],
};

describe("the lab table", () => {
  it("has one row per variant with sizes against the baseline", () => {
    const rows = tableRows(run);
    expect(rows[0]).toEqual([
      "python-slim (python:slim)",
      "python:3.11-slim (as it is)",
      "works",
      "works, as expected",
      "134 MB",
      "baseline",
      "5",
      "0 B",
      "2 MB",
      "400 ms",
    ]);
    expect(rows[1]?.slice(0, 6)).toEqual([
      "multistage",
      "Dockerfile.multistage",
      "works",
      "works, as expected",
      "118.6 MB",
      "-15.4 MB (-11.5%)",
    ]);
    expect(rows[2]?.slice(0, 5)).toEqual([
      "broken",
      "Dockerfile.broken",
      "fails (build)",
      "build failed, as expected",
      "",
    ]);
  });

  it("prints history, lint of the originals and verdicts on the terminal", () => {
    const text = formatLabTty(run);
    expect(text).toMatch(/History of python:slim \(7 entries, 5 layers\)/);
    expect(text).toMatch(/\(no history entry: an imported layer\)/);
    expect(text).toMatch(/RUN apt-get update && apt-get install -y python3/);
    expect(text).toMatch(/original\/Dockerfile \(as the lab wrote it\): 1 finding\(s\) \(SS305\)/);
    expect(text).toMatch(/TRUE {2}multi \| is smaller\n {6}measured: 15\.4 MB smaller\n {6}why: because/);
    expect(text).toMatch(/NOT MEASURED {2}never measured/);
    expect(text).toMatch(/NOT OK/);
  });

  it("fits 120 columns on the terminal, even with long names; --wide has every column", () => {
    const long: LabRun = {
      ...run,
      variants: [
        ...run.variants,
        {
          ...run.variants[1]!,
          name: "optimized-distroless-with-a-very-long-variant-name",
          label: "a label that is long too",
          outcome: { status: "verify-failed", asExpected: false, summary: "probe failed" },
        },
      ],
    };
    const compact = formatLabTty(long);
    const table = compact.split("\n\n")[1] ?? "";
    expect(table).toMatch(/^Image +Result +Size +vs baseline +Layers +Wasted +Build-only +Start-up$/m);
    expect(table).toMatch(/probe failed \(UNEXPECTED\)/);
    expect(table).toMatch(/build failed \(expected\)/);
    expect(table).toMatch(/^optimized-distroless-… /m);
    for (const line of table.split("\n")) expect(line.length, line).toBeLessThanOrEqual(120);
    const wide = formatLabTty(long, { wide: true }).split("\n\n")[1] ?? "";
    expect(wide).toMatch(/^Image +Built from +Expected +Result/m);
    expect(wide).toContain("optimized-distroless-with-a-very-long-variant-name (a label that is long too)");
  });

  it("says which claim did not get the verdict the lab expects", () => {
    const wrong: LabRun = {
      ...run,
      claims: [
        { ...run.claims[0]!, expected: false, asExpected: false },
        {
          ...run.claims[0]!,
          id: "ok-one",
          text: "as expected",
          verdict: false,
          expected: false,
          asExpected: true,
        },
      ],
    };
    expect(unexpectedResults(wrong)).toEqual(["claim a: TRUE, the lab expects FALSE"]);
    const text = formatLabTty(wrong);
    expect(text).toMatch(/TRUE \(the lab expects FALSE\) {2}multi \| is smaller/);
    expect(text).toMatch(/FALSE \(as expected\) {2}as expected/);
    expect(text).toMatch(/NOT OK:\n {2}claim a: TRUE, the lab expects FALSE/);
    expect(unexpectedResults(run)).toEqual(["claim b: not measured (no image)"]);
  });

  it("escapes pipes in Markdown", () => {
    const md = formatLabMarkdown(run);
    expect(md).toMatch(/^## lab-004: three images/);
    expect(md).toMatch(/\| multi \\\| is smaller +\| \*\*TRUE\*\*/);
  });

  it("docs/results.md carries the date, the machine and the verdict counts", () => {
    const doc: LabRunDocument = {
      schema: "slimstage.lab/v1",
      createdAt: "2026-11-22T12:00:00.000Z",
      machine: {
        hostname: "h",
        os: "Debian GNU/Linux 12 (bookworm)",
        kernel: "6.1",
        cpus: 2,
        cpuModel: "CPU",
        memoryBytes: 24e9,
        node: "v20.20.2",
        engine: "docker 20.10.24 (DOCKER_BUILDKIT)",
      },
      labs: [run],
      ok: false,
    };
    const md = renderResults(doc, "`slimstage lab all --json`", "/x");
    expect(md).toMatch(/- \*\*Run:\*\* 2026-11-22T12:00:00\.000Z/);
    expect(md).toMatch(
      /Debian GNU\/Linux 12 \(bookworm\), kernel 6\.1, 2 × CPU, 24 GB RAM, Node v20\.20\.2, docker 20\.10\.24/,
    );
    expect(md).toMatch(
      /0 of 1 labs behaved as their lab\.yaml expects; 2 claims: 1 true, 0 false, 1 not measured/,
    );
    expect(md).toMatch(/Lab directory: `examples\/lab-004`/);
  });
});
