import { instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS509",
    slug: "stage-keyword-case",
    severity: "style",
    buildkit: "FromAsCasing",
    category: "maintainability",
    description: "`AS` in FROM written in a different case than FROM.",
    rationale: "BuildKit's FromAsCasing check: mixed case reads as a typo.",
    fix: "Write `FROM image AS name` (or all lower case).",
    stages: "all",
    stagesNote: "Fires in every stage.",
    autofix: true,
    bad: "FROM python:3.12-slim as builder",
    good: "FROM python:3.12-slim AS builder",
  },
  check(ctx) {
    for (const { ins } of instructionsOf(ctx.df, "FROM")) {
      if (!ins.stageName) continue;
      const text = ctx.source.slice(ins.range.start.offset, ins.range.end.offset);
      const m = /\s(as)\s+\S+\s*$/i.exec(text);
      if (!m) continue;
      const kwUpper = ins.keywordRaw === ins.keywordRaw.toUpperCase();
      const [, as = ""] = m; // the group always takes part
      const asUpper = as === as.toUpperCase();
      const asLower = as === as.toLowerCase();
      if ((kwUpper && asUpper) || (!kwUpper && asLower)) continue;
      const at = ins.range.start.offset + m.index + 1;
      ctx.report({
        node: ins,
        message: `"${m[1]}" does not match the case of "${ins.keywordRaw}"`,
        fix: {
          title: "match the keyword case",
          edits: [{ start: at, end: at + 2, text: kwUpper ? "AS" : "as" }],
        },
      });
    }
  },
});
