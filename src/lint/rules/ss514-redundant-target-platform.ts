import { instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS514",
    slug: "redundant-target-platform",
    severity: "style",
    category: "maintainability",
    description: "`FROM --platform=$TARGETPLATFORM`, which is what FROM does anyway.",
    rationale:
      "A stage is built for the target platform unless told otherwise: the flag says nothing and suggests it matters.",
    fix: "Remove `--platform=$TARGETPLATFORM`.",
    buildkit: "RedundantTargetPlatform",
    stages: "all",
    stagesNote: "Fires on every FROM.",
    bad: "FROM --platform=$TARGETPLATFORM alpine:3.22",
    good: "FROM alpine:3.22",
  },
  check(ctx) {
    for (const { ins } of instructionsOf(ctx.df, "FROM"))
      if (ins.platform && /^\$\{?TARGETPLATFORM\}?$/.test(ins.platform.trim()))
        ctx.report({ node: ins, message: "--platform=$TARGETPLATFORM is the default" });
  },
});
