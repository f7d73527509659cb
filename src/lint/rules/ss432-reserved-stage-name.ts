import { instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

const RESERVED = new Set(["scratch", "context"]);

export default defineRule({
  meta: {
    id: "SS432",
    slug: "reserved-stage-name",
    severity: "error",
    category: "correctness",
    description: "A stage named `scratch` or `context`, names BuildKit reserves.",
    rationale:
      "`FROM scratch` and `--from=context` already mean the empty image and the build context: a stage of that name cannot be referred to, and BuildKit rejects it.",
    fix: "Rename the stage.",
    buildkit: "ReservedStageName",
    stages: "all",
    stagesNote: "Fires on every FROM ... AS.",
    bad: "FROM alpine:3.22 AS scratch",
    good: "FROM alpine:3.22 AS base",
  },
  check(ctx) {
    for (const { ins } of instructionsOf(ctx.df, "FROM"))
      if (ins.stageName && RESERVED.has(ins.stageName.toLowerCase()))
        ctx.report({ node: ins, message: `stage name "${ins.stageName}" is reserved` });
  },
});
