import { describe, expect, it } from "vitest";
import { BUILDKIT_CHECKS, rulesForCheck } from "./buildkit-checks.js";
import { RULES } from "./rules/index.js";

describe("BuildKit check parity", () => {
  it("every BuildKit check is covered by a rule, or says why not", () => {
    const gaps = BUILDKIT_CHECKS.filter((c) => rulesForCheck(RULES, c.name).length === 0 && !c.uncovered);
    expect(gaps.map((c) => c.name)).toEqual([]);
  });
  it("no check is both covered and explained away", () => {
    const both = BUILDKIT_CHECKS.filter((c) => c.uncovered && rulesForCheck(RULES, c.name).length > 0);
    expect(both.map((c) => c.name)).toEqual([]);
  });
  it("every buildkit name in a rule's metadata is a real check", () => {
    const names = new Set(BUILDKIT_CHECKS.map((c) => c.name));
    const unknown = RULES.flatMap((r) => [r.meta.buildkit ?? []].flat()).filter((n) => !names.has(n));
    expect(unknown).toEqual([]);
  });
  it("covers at least 17 of the 22 checks", () => {
    expect(BUILDKIT_CHECKS.filter((c) => !c.uncovered).length).toBeGreaterThanOrEqual(17);
  });
});
