import { located, unquote } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS410",
    slug: "copy-dest-slash",
    severity: "error",
    category: "correctness",
    description: "COPY or ADD of several sources to a destination that does not end with `/`.",
    rationale:
      "With more than one source the destination must be a directory; without the trailing slash the build fails.",
    fix: "End the destination with `/`.",
    hadolint: "DL3021",
    stages: "all",
    stagesNote: "Fires in every stage.",
    bad: "COPY a.txt b.txt /app",
    good: "COPY a.txt b.txt /app/",
  },
  check(ctx) {
    for (const { ins, stage } of located(ctx.df)) {
      if (ins.keyword !== "COPY" && ins.keyword !== "ADD") continue;
      if (ins.sources.length < 2) continue;
      const d = unquote(ins.dest);
      if (d.endsWith("/") || d.endsWith("\\") || d.includes("$")) continue;
      ctx.report({
        node: ins,
        stage,
        message: `${ins.sources.length} sources are copied to ${d}, which does not end with /`,
      });
    }
  },
});
