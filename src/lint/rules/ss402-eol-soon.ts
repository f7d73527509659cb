import { lookupEol, releasesInImage } from "../eol.js";
import { instructionsOf, isReachable } from "../facts.js";
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
    for (const { ins, stage } of instructionsOf(ctx.df, "FROM")) {
      if (!isReachable(ctx.graph, stage)) continue;
      const info = ctx.graph.stages[stage]?.base;
      if ((info && "stage" in info) || ins.imageRef.scratch || ins.imageRef.hasVariables) continue;
      for (const r of releasesInImage(ins.imageRef.repository, ins.imageRef.tag)) {
        const v = lookupEol(r.product, r.cycle, ctx.policy.now);
        if (!v || v.daysLeft < 0 || v.daysLeft > ctx.policy.eolWarnDays) continue;
        ctx.report({
          node: ins,
          message: `${r.product} ${v.cycle} reaches its end of life on ${v.eol}, in ${v.daysLeft} days`,
        });
      }
    }
  },
});
