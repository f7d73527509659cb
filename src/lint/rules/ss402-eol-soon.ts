import { PRODUCT_NAMES } from "../eol.js";
import { reachableBaseEol } from "../eol-bases.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS402",
    slug: "eol-soon",
    severity: "info",
    category: "maintainability",
    description:
      "A base image whose runtime or distribution reaches its end of life within `eol.warnDays` (default 90) days.",
    rationale: "Planning the move before the date beats an emergency upgrade after it.",
    fix: "Schedule the move to the next supported release.",
    stages: "reachable",
    stagesNote: "Fires on the FROM of every stage needed for the target.",
    bad: "FROM python:3.10-slim   # in August 2026",
    good: "FROM python:3.12-slim",
  },
  check(ctx) {
    for (const { ins, product, verdict } of reachableBaseEol(ctx)) {
      if (verdict.daysLeft < 0 || verdict.daysLeft > ctx.policy.eolWarnDays) continue;
      ctx.report({
        node: ins,
        message: `${PRODUCT_NAMES[product]} ${verdict.cycle} reaches its end of life on ${verdict.eol}, in ${verdict.daysLeft} days`,
      });
    }
  },
});
