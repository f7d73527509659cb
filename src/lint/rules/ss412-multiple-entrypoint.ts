import { repeatedInStage } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS412",
    slug: "multiple-entrypoint",
    severity: "warning",
    buildkit: "MultipleInstructionsDisallowed",
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
    for (const extra of repeatedInStage(ctx.df, "ENTRYPOINT"))
      ctx.report({
        node: extra,
        message: "another ENTRYPOINT in the same stage: only the last one counts",
      });
  },
});
