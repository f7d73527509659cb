import { describe, expect, it } from "vitest";
import { REPORT_DATA_SCHEMA_ID } from "../report-data.js";
import { analysis, variant } from "../test-helpers/fixtures.js";
import { HOSTILE, sampleLabRun, sampleRun } from "../test-helpers/sample-data.js";
import {
  buildOnlySeries,
  OTHER_KEY,
  ownerSeries,
  stackSeries,
  UNATTRIBUTED_KEY,
  WASTED_KEY,
} from "./chart-data.js";
import { esc } from "./escape.js";
import { renderReportHtml, shortCommand } from "./render.js";
import { ownerTree } from "./treemap.js";

describe("esc", () => {
  it("escapes the five HTML-significant characters", () => {
    expect(esc(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });
});

describe("chart series", () => {
  it("stacks the owner kinds and the wasted bytes up to the image size", () => {
    const run = sampleRun();
    const s = ownerSeries(run.variants);
    const single = s.bars[0]!;
    expect(single.total).toBe(430e6);
    expect(single.segments.reduce((n, x) => n + x.bytes, 0)).toBe(430e6);
    expect(single.segments.find((x) => x.key === WASTED_KEY)!.bytes).toBe(30e6);
    expect(s.keys[0]).toBe("OS packages");
  });

  it("puts what the segments do not cover in 'unattributed' and the smallest keys in 'other'", () => {
    const v = variant("a", 100, { analysis: analysis(100) });
    const s = stackSeries(
      [v],
      () => [
        { key: "x", bytes: 40 },
        { key: "y", bytes: 30 },
        { key: "z", bytes: 10 },
      ],
      () => 100,
      2,
    );
    expect(s.keys).toEqual(["x", "y", OTHER_KEY, UNATTRIBUTED_KEY]);
    expect(s.bars[0]!.segments).toEqual([
      { key: "x", bytes: 40 },
      { key: "y", bytes: 30 },
      { key: OTHER_KEY, bytes: 10 },
      { key: UNATTRIBUTED_KEY, bytes: 20 },
    ]);
  });

  it("draws an empty build-only bar for a variant without build-only content", () => {
    const s = buildOnlySeries(sampleRun().variants);
    expect(s.bars.map((b) => b.total)).toEqual([250e6, 0, 0, 0]);
    expect(s.bars[1]!.segments).toEqual([]);
  });
});

describe("renderReportHtml", () => {
  const html = renderReportHtml(sampleRun(), { generator: "slimstage test" });

  it("is one self-contained document: no script, no external reference, a CSP that forbids fetching", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(`content="default-src &#39;none&#39;;`);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']/i);
    expect(html).not.toMatch(/url\(/i);
  });

  it("escapes all text from the run", () => {
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain(esc(HOSTILE));
  });

  it("has one bar per variant in the per-variant charts and one per layer", () => {
    for (const id of ["chart-size", "chart-build-only", "chart-startup", "chart-memory"]) {
      const svg = new RegExp(`<svg id="${id}"[\\s\\S]*?</svg>`).exec(html)?.[0] ?? "";
      expect(svg.match(/<g class="bar[^"]*" data-variant=/g)?.length, id).toBe(4);
    }
    const layers = /<svg id="chart-layers"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? "";
    expect(layers.match(/data-layer=/g)?.length).toBe(4 + 2 + 2 + 2);
  });

  it("marks the failed variant, withholds its saving and shows its logs; unverified stays unverified", () => {
    expect(html).toMatch(/<tr data-variant="slim [^"]*" class="failed">/);
    expect(html).toContain("not claimed (failed)");
    expect(html).toContain("ModuleNotFoundError");
    expect(html).toContain("not verified: no probe ran for this variant");
    expect(html).toContain("failed: no successful probe");
  });

  it("shows the lint and inspect findings", () => {
    expect(html).toContain("SS101");
    expect(html).toContain("Dockerfile:3:5");
    expect(html).toContain("pip&#39;s cache is in the image");
    expect(html).toContain("not linted");
  });

  it("shortens layer commands on the chart axis", () => {
    expect(shortCommand('/bin/sh -c #(nop)  CMD ["python"]')).toBe('CMD ["python"]');
    expect(shortCommand("RUN /bin/sh -c apt-get update # buildkit")).toBe("RUN /bin/sh -c apt-get update");
    expect(shortCommand("/bin/sh -c apt-get update")).toBe("apt-get update");
  });

  it("says once that nothing was verified or linted when nothing was", () => {
    const run = sampleRun();
    const bare = { ...run, variants: run.variants.map(({ verify: _v, lint: _l, ...v }) => v) };
    const out = renderReportHtml(bare);
    expect(out.match(/not verified: no probe ran in this run/g)).toHaveLength(1);
    expect(out.match(/not linted: this run has no Dockerfiles/g)).toHaveLength(1);
  });

  it("rejects a run whose baseline is not a variant", () => {
    const run = { ...sampleRun(), schema: REPORT_DATA_SCHEMA_ID, baseline: "nope" } as const;
    expect(() => renderReportHtml(run)).toThrow(/baseline "nope"/);
  });
});

describe("the lab's verdicts in the report", () => {
  it("lead the report: every claim with its verdict, measurement, reason and expected vs found", () => {
    const html = renderReportHtml(sampleLabRun(), { generator: "slimstage test" });
    const firstH2 = /<h2 id="([^"]+)"/.exec(html)?.[1];
    expect(firstH2).toBe("verdicts");
    expect(html.indexOf('id="verdicts"')).toBeLessThan(html.indexOf('id="summary"'));
    expect(html.match(/<li class="claim/g)).toHaveLength(4);
    expect(html).toMatch(
      /4 claims: 2 true, 1 false, 1 not measured · <span class="status failed">2 not as expected/,
    );
    expect(html).toMatch(
      /data-claim="slim-works">\n<div class="claim-head"><span class="verdict false">FALSE<\/span> <span class="expect bad">expected TRUE · found FALSE · NOT AS EXPECTED/,
    );
    expect(html).toMatch(/data-claim="single-has-gcc">[\s\S]*?no expected verdict stated/);
    expect(html).toMatch(/<dt>measured<\/dt><dd>2 of 2 present<\/dd><dt>why<\/dt><dd>single contains gcc-12/);
    expect(html).not.toContain(HOSTILE);
  });

  it("shows the removal audit of a minified variant: removed by owner, kept by reason, the bytecode, the thin trace", () => {
    const html = renderReportHtml(sampleLabRun(), { generator: "slimstage test" });
    const audit = html.slice(html.indexOf('id="removal-audit"'), html.indexOf('id="lint"'));
    expect(audit).toMatch(/<h3>minified <span class="meta">slimstage-lab\/lab-000-minified:multi/);
    expect(audit).toMatch(
      /--level safe · source 7108 entries, 136\.6 MB · kept 1236 \(18\.9 MB\) · removed 5872 \(117\.7 MB\)/,
    );
    expect(audit).toContain(
      "402 library sources (6.8 MB) shipped as 402 sourceless <code>.pyc</code> (7.5 MB)",
    );
    expect(audit).toMatch(
      /<td><code>debian:perl-base<\/code><\/td><td class="num">614<\/td><td class="num">7\.3 MB/,
    );
    expect(audit).toMatch(/<td>traced<\/td><td class="num">493<\/td>/);
    expect(audit).toContain("where the trace is thin (1)");
    expect(html).not.toContain(HOSTILE);
    // Only minified variants have one; a run without any has no section.
    expect(audit.match(/<h3>/g)).toHaveLength(1);
    expect(renderReportHtml(sampleRun())).not.toContain('id="removal-audit"');
  });

  it("has no verdict section for a run without claims (compare)", () => {
    const html = renderReportHtml(sampleRun());
    expect(html).not.toContain('id="verdicts"');
    expect(html).not.toMatch(/not measured yet|placeholder|TODO/i);
  });

  it("draws one treemap per variant whose owners add up to the image's bytes", () => {
    const run = sampleLabRun();
    const html = renderReportHtml(run);
    for (let i = 0; i < run.variants.length; i++) expect(html).toContain(`<svg id="treemap-${i}"`);
    const tree = ownerTree(run.variants[0]!);
    const leaves = (n: { children?: unknown[]; leaf?: { bytes: number } }): number =>
      n.leaf ? n.leaf.bytes : (n.children ?? []).reduce<number>((s, c) => s + leaves(c as typeof n), 0);
    const a = run.variants[0]!.analysis;
    expect(leaves(tree)).toBe(a.byOwnerKind.reduce((s, k) => s + k.bytes, 0) + a.wastedBytes);
  });
});
