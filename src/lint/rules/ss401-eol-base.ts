import { PRODUCT_NAMES } from "../eol.js";
import { reachableBaseEol } from "../eol-bases.js";
import { defineRule } from "../rule.js";

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
    for (const { ins, product, verdict } of reachableBaseEol(ctx)) {
      if (verdict.daysLeft >= 0) continue;
      ctx.report({
        node: ins,
        // Lines older than the table have no exact date: "before <the oldest row's date>".
        message: `${PRODUCT_NAMES[product]} ${verdict.cycle} reached its end of life ${verdict.eol.startsWith("before") ? "" : "on "}${verdict.eol} (${verdict.source})`,
      });
    }
  },
});
