/** Any valid run draws: no NaN or Infinity in the SVG, one bar per variant, text always escaped. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REPORT_DATA_SCHEMA_ID, type ReportData, type VariantData } from "../report-data.js";
import { parseReportData } from "../report-data-schema.js";
import { renderReportHtml } from "./render.js";

const bytes = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5e9 }));
// Text never spells NaN or Infinity: the check below looks for them as numbers the charts computed.
const noNumberWords = (s: string) => !/NaN|Infinity/.test(s);
const text = fc.string({ maxLength: 30 }).filter(noNumberWords);
const maybeNull = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });

const variantArb: fc.Arbitrary<Omit<VariantData, "name">> = fc.record(
  {
    ref: text,
    analysis: fc.record({
      sizeBytes: bytes,
      compressedBytes: maybeNull(bytes),
      compressedEstimated: fc.boolean(),
      layers: fc.array(
        fc.record(
          { index: fc.nat(50), sizeBytes: bytes, createdBy: text },
          { requiredKeys: ["index", "sizeBytes"] },
        ),
        { maxLength: 6 },
      ),
      wastedBytes: bytes,
      buildOnlyBytes: bytes,
      packageCount: maybeNull(fc.nat(5000)),
      byOwnerKind: fc.array(fc.record({ kind: text, bytes }), { maxLength: 8 }),
      topOwners: fc.array(fc.record({ kind: text, name: text, bytes }), { maxLength: 4 }),
      buildOnlyByCategory: fc.array(fc.record({ category: text, label: text, bytes }), { maxLength: 4 }),
      findings: fc.array(fc.record({ id: text, message: text }), { maxLength: 3 }),
    }),
    verify: fc.record({
      passed: fc.boolean(),
      startupMs: maybeNull(fc.integer({ min: 0, max: 600_000 })),
      peakMemoryBytes: maybeNull(bytes),
      probes: fc.array(fc.record({ name: text, ok: fc.boolean(), detail: text }), { maxLength: 3 }),
    }),
    lint: fc.array(
      fc.record({
        ruleId: text,
        severity: fc.constantFrom("error", "warning", "info", "style"),
        message: text,
      }),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: ["ref", "analysis"] },
);

const runArb: fc.Arbitrary<ReportData> = fc
  .uniqueArray(fc.string({ minLength: 1, maxLength: 20 }).filter(noNumberWords), {
    minLength: 1,
    maxLength: 5,
  })
  .chain((names) =>
    fc.tuple(fc.constant(names), fc.array(variantArb, { minLength: names.length, maxLength: names.length })),
  )
  .chain(([names, variants]) =>
    fc.record({
      schema: fc.constant(REPORT_DATA_SCHEMA_ID),
      createdAt: fc.constant("2026-11-22T12:00:00.000Z"),
      baseline: fc.constantFrom(...names),
      variants: fc.constant(variants.map((v, i) => ({ ...v, name: names[i]! }))),
    }),
  );

describe("renderReportHtml on generated runs", () => {
  it("draws every valid run without NaN, with one bar per variant, and never lets markup through", () => {
    fc.assert(
      fc.property(runArb, (run) => {
        // What the generator makes is a valid run document.
        parseReportData(JSON.stringify(run));
        const html = renderReportHtml(run);
        expect(html).not.toMatch(/NaN|Infinity/);
        expect(html).not.toMatch(/<script/i);
        for (const id of ["chart-size", "chart-build-only", "chart-startup", "chart-memory"]) {
          const svg = new RegExp(`<svg id="${id}"[\\s\\S]*?</svg>`).exec(html)?.[0] ?? "";
          expect(svg.match(/<g class="bar[^"]*" data-variant=/g)?.length ?? 0).toBe(run.variants.length);
        }
        // Widths are never negative.
        expect(html).not.toMatch(/width="-/);
      }),
      { numRuns: 150 },
    );
  });
});
