import { repeatedInStage } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS411",
    slug: "multiple-cmd",
    severity: "warning",
    buildkit: "MultipleInstructionsDisallowed",
    category: "correctness",
    description: "More than one CMD in a stage: only the last takes effect.",
    rationale: "Earlier CMDs are dead code that misleads readers.",
    fix: "Keep one CMD per stage.",
    hadolint: "DL4003",
    stages: "all",
    stagesNote: "Counts per stage.",
    bad: 'CMD ["a"]\nCMD ["b"]',
    good: 'CMD ["b"]',
  },
  check(ctx) {
    for (const extra of repeatedInStage(ctx.df, "CMD"))
      ctx.report({ node: extra, message: "another CMD in the same stage: only the last one counts" });
  },
});
