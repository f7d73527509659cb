import { lookupEol, releasesInImage } from "../eol.js";
import { instructionsOf, isReachable } from "../facts.js";
import { defineRule } from "../rule.js";

const NAMES = {
  python: "Python",
  debian: "Debian",
  node: "Node.js",
  alpine: "Alpine",
  ubuntu: "Ubuntu",
} as const;

export default defineRule({
  meta: {
    id: "SS401",
    slug: "eol-base",
    severity: "warning",
    category: "correctness",
    description: "A base image whose runtime or distribution is past its published end of life.",
    rationale:
      "After its end of life a release gets no security fixes: every new CVE stays open. The dates come from the table in src/lint/eol.ts, which cites the maintainers' published schedules.",
    fix: "Move to a supported release (for example python:3.12-slim on Debian bookworm or trixie, node:22-slim or node:24-slim).",
    stages: "reachable",
    stagesNote:
      "Fires on the FROM of every stage needed for the target: an end-of-life builder still compiles with unpatched tools.",
    bad: "FROM python:3.9-slim-buster",
    good: "FROM python:3.12-slim-bookworm",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "FROM")) {
      if (!isReachable(ctx.graph, stage)) continue;
      const info = ctx.graph.stages[stage]?.base;
      if ((info && "stage" in info) || ins.imageRef.scratch || ins.imageRef.hasVariables) continue;
      for (const r of releasesInImage(ins.imageRef.repository, ins.imageRef.tag)) {
        const v = lookupEol(r.product, r.cycle, ctx.policy.now);
        if (!v || v.daysLeft >= 0) continue;
        ctx.report({
          node: ins,
          message: `${NAMES[r.product]} ${v.cycle} reached its end of life on ${v.eol} (${v.source})`,
        });
      }
    }
  },
});
