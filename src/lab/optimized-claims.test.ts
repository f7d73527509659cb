import { describe, expect, it } from "vitest";
import {
  bestMultiStage,
  judgeDistrolessAtMost,
  judgeDistrolessNodePlus,
  judgeOptimizedClaims,
  judgeSlimVsBestMulti,
  type SizedVariant,
} from "./optimized-claims.js";

const MB = 1e6;
const variants: SizedVariant[] = [
  { name: "single", sizeBytes: 150 * MB, works: true, multiStage: false },
  { name: "multi", sizeBytes: 160 * MB, works: true, multiStage: true },
  { name: "venv", sizeBytes: 140 * MB, works: true, multiStage: true },
  // Smallest, but it does not work: not the lab's best multi-stage image.
  { name: "broken", sizeBytes: 40 * MB, works: false, multiStage: true },
];

describe("slimstage's optimized slim tier vs the lab's best multi-stage image", () => {
  it("picks the smallest working multi-stage variant", () => {
    expect(bestMultiStage(variants)?.name).toBe("venv");
    expect(bestMultiStage(variants.filter((v) => !v.multiStage))).toBeUndefined();
  });

  it("true when no larger (equal counts), false when larger, by how much", () => {
    const yes = judgeSlimVsBestMulti({ verified: true, sizeBytes: 130 * MB }, variants);
    expect(yes.verdict).toBe(true);
    expect(yes.measured).toMatch(/vs venv/);
    expect(judgeSlimVsBestMulti({ verified: true, sizeBytes: 140 * MB }, variants).verdict).toBe(true);
    const no = judgeSlimVsBestMulti({ verified: true, sizeBytes: 140 * MB + 1 }, variants);
    expect(no.verdict).toBe(false);
    expect(no.measured).toMatch(/LARGER/);
  });

  it("claims no size for a tier that did not verify, and needs a multi-stage variant", () => {
    const failed = judgeSlimVsBestMulti(
      { verified: false, sizeBytes: 1, reason: "probe timed out" },
      variants,
    );
    expect(failed.verdict).toBeNull();
    expect(failed.why).toMatch(/probe timed out/);
    expect(judgeSlimVsBestMulti(undefined, variants).verdict).toBeNull();
    const none = judgeSlimVsBestMulti({ verified: true, sizeBytes: MB }, [variants[0]!]);
    expect(none.verdict).toBeNull();
    expect(none.why).toMatch(/no multi-stage variant/);
  });
});

describe("the distroless tier's size claims", () => {
  it("at most 45MB and verified", () => {
    expect(judgeDistrolessAtMost({ verified: true, sizeBytes: 45 * MB }, "45MB").verdict).toBe(true);
    expect(judgeDistrolessAtMost({ verified: true, sizeBytes: 45 * MB + 1 }, "45MB").verdict).toBe(false);
    const unverified = judgeDistrolessAtMost({ verified: false, reason: "no such module" }, "45MB");
    expect(unverified.verdict).toBe(false);
    expect(unverified.why).toMatch(/no such module/);
    expect(judgeDistrolessAtMost(undefined, "45MB").verdict).toBeNull();
  });

  it("at most the node binary + 15MB", () => {
    const node = 118 * MB;
    expect(
      judgeDistrolessNodePlus({ verified: true, sizeBytes: node + 15 * MB, nodeBinaryBytes: node }, "15MB")
        .verdict,
    ).toBe(true);
    const over = judgeDistrolessNodePlus(
      { verified: true, sizeBytes: node + 15 * MB + 1, nodeBinaryBytes: node },
      "15MB",
    );
    expect(over.verdict).toBe(false);
    expect(over.why).toMatch(/more than 15MB/);
    expect(judgeDistrolessNodePlus({ verified: true, sizeBytes: node }, "15MB").verdict).toBeNull();
    expect(
      judgeDistrolessNodePlus({ verified: false, sizeBytes: node, nodeBinaryBytes: node }, "15MB").verdict,
    ).toBeNull();
  });

  it("a lab gets the slim claim always, the distroless ones only when its lab.yaml asks", () => {
    const tiers = {
      slim: { verified: true, sizeBytes: 100 * MB },
      distroless: { verified: true, sizeBytes: 40 * MB, nodeBinaryBytes: 30 * MB },
    };
    expect(judgeOptimizedClaims(undefined, tiers, variants).map((c) => c.id)).toEqual([
      "optimized-slim-no-larger",
    ]);
    const all = judgeOptimizedClaims(
      { distrolessAtMost: "45MB", distrolessAtMostNodePlus: "15MB" },
      tiers,
      variants,
    );
    expect(all.map((c) => [c.id, c.kind, c.verdict])).toEqual([
      ["optimized-slim-no-larger", "optimized", true],
      ["optimized-distroless-at-most", "optimized", true],
      ["optimized-distroless-node-plus", "optimized", true],
    ]);
  });
});
