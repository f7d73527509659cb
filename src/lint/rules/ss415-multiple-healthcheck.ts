import { repeatedInStage } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS415",
    slug: "multiple-healthcheck",
    severity: "warning",
    buildkit: "MultipleInstructionsDisallowed",
    category: "correctness",
    description: "More than one HEALTHCHECK in a stage: only the last takes effect.",
    rationale: "Earlier HEALTHCHECKs are dead code.",
    fix: "Keep one HEALTHCHECK per stage.",
    hadolint: "DL3012",
    stages: "all",
    stagesNote: "Counts per stage.",
    bad: "HEALTHCHECK CMD a\nHEALTHCHECK CMD b",
    good: "HEALTHCHECK CMD b",
  },
  check(ctx) {
    for (const extra of repeatedInStage(ctx.df, "HEALTHCHECK"))
      ctx.report({
        node: extra,
        message: "another HEALTHCHECK in the same stage: only the last one counts",
      });
  },
});
