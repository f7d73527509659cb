import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS416",
    slug: "instruction-before-from",
    severity: "error",
    category: "correctness",
    description: "An instruction other than ARG before the first FROM.",
    rationale: "Only ARG may precede FROM; BuildKit rejects anything else.",
    fix: "Move the instruction below FROM.",
    hadolint: "DL3061",
    stages: "file",
    stagesNote: "Looks at the instructions before the first stage.",
    bad: "LABEL a=b\nFROM debian:12",
    good: "FROM debian:12\nLABEL a=b",
  },
  check(ctx) {
    const firstFrom = ctx.df.stages[0]?.from;
    if (firstFrom === undefined) return;
    for (const ins of ctx.df.instructions) {
      if (ins === firstFrom) break;
      if (ins.keyword !== "ARG") {
        ctx.report({ node: ins, message: `${ins.keyword} before the first FROM` });
        break;
      }
    }
  },
});
