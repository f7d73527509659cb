import { instructionsOf, unquote } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS407",
    slug: "relative-workdir",
    severity: "warning",
    buildkit: "WorkdirRelativePath",
    category: "correctness",
    description: "A relative WORKDIR.",
    rationale:
      "A relative WORKDIR depends on every WORKDIR before it, including the base image's: moving a line changes where files go.",
    fix: "Use an absolute path: `WORKDIR /app`.",
    hadolint: "DL3000",
    stages: "all",
    stagesNote: "Fires in every stage.",
    bad: "WORKDIR app",
    good: "WORKDIR /app",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "WORKDIR")) {
      const p = unquote(ins.path.trim());
      if (p.startsWith("/") || p.startsWith("$") || /^[A-Za-z]:[\\/]/.test(p)) continue;
      ctx.report({ node: ins, stage, message: `WORKDIR ${p} is relative` });
    }
  },
});
