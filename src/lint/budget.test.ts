/** The per-file lint budget (issue #16, finding 1/3): bounded rule work, reported, never silent. */
import { describe, expect, it } from "vitest";
import { lintText } from "./engine.js";
import { BUDGET_RULE_ID } from "./finding.js";
import { defineRule, type Rule } from "./rule.js";
import { RULES } from "./rules/index.js";

const meta = (id: string) => ({
  id,
  slug: `test-${id.toLowerCase()}`,
  severity: "info" as const,
  category: "maintainability" as const,
  description: "test rule",
  rationale: "test",
  fix: "test",
  stages: "file" as const,
  stagesNote: "test",
});

/** Reports one finding per instruction, as often as it is asked to. */
const chatty = (id: string, times: number): Rule =>
  defineRule({
    meta: meta(id),
    check(ctx) {
      for (let i = 0; i < times; i++)
        for (const ins of ctx.df.instructions) ctx.report({ node: ins, message: `n${i}` });
    },
  });

/** Takes longer than a 1 ms budget by construction (it waits until 20 ms have passed). */
const slow = defineRule({
  meta: meta("SS998"),
  check() {
    const until = Date.now() + 20;
    while (Date.now() < until) {}
  },
});

describe("lint budget", () => {
  it("stops a rule past its report budget and says so; the other rules' findings stay", () => {
    const r = lintText("FROM scratch\nRUN a\nRUN b\n", {
      rules: [chatty("SS997", 100), chatty("SS996", 1)],
      budget: { reportsPerRule: 50 },
    });
    const budget = r.findings.filter((f) => f.ruleId === BUDGET_RULE_ID);
    expect(budget).toHaveLength(1);
    expect(budget[0]?.message).toMatch(/SS997 did not finish/);
    expect(budget[0]?.severity).toBe("error");
    expect(r.findings.filter((f) => f.ruleId === "SS996")).toHaveLength(3);
    expect(r.findings.filter((f) => f.ruleId === "SS997").length).toBeLessThanOrEqual(50);
  });

  it("skips the rules left once the time budget is spent", () => {
    const r = lintText("FROM scratch\n", {
      rules: [slow, chatty("SS996", 1), chatty("SS995", 1)],
      budget: { ms: 1 },
    });
    const msg = r.findings.find((f) => f.ruleId === BUDGET_RULE_ID)?.message;
    expect(msg).toMatch(/SS996, SS995 did not finish/);
    expect(r.findings.some((f) => f.ruleId === "SS996")).toBe(false);
  });

  it("the default budget leaves ordinary files alone", () => {
    const r = lintText("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n", {
      rules: RULES,
    });
    expect(r.findings.some((f) => f.ruleId === BUDGET_RULE_ID)).toBe(false);
  });
});
