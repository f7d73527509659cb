import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS412",
    slug: "multiple-entrypoint",
    severity: "warning",
    category: "correctness",
    description: "More than one ENTRYPOINT in a stage: only the last takes effect.",
    rationale: "Earlier ENTRYPOINTs are dead code that misleads readers.",
    fix: "Keep one ENTRYPOINT per stage.",
    hadolint: "DL4004",
    stages: "all",
    stagesNote: "Counts per stage.",
    bad: 'ENTRYPOINT ["a"]\nENTRYPOINT ["b"]',
    good: 'ENTRYPOINT ["b"]',
  },
  check(ctx) {
    const groups = ctx.df.stages.length ? ctx.df.stages.map((s) => s.instructions) : [ctx.df.instructions];
    for (const list of groups) {
      const eps = list.filter((i) => i.keyword === "ENTRYPOINT");
      for (const extra of eps.slice(1))
        ctx.report({
          node: extra,
          message: "another ENTRYPOINT in the same stage: only the last one counts",
        });
    }
  },
});
