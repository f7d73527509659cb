import { instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS513",
    slug: "stage-name-casing",
    severity: "style",
    category: "maintainability",
    description: "A stage name with upper-case letters.",
    rationale:
      "Stage names are compared case-insensitively and BuildKit recommends lower case, so `--target Build` and `--from=build` both work only by accident of that rule.",
    fix: "Write stage names in lower case.",
    buildkit: "StageNameCasing",
    stages: "all",
    stagesNote: "Fires on every FROM ... AS.",
    bad: "FROM golang:1.25 AS Builder",
    good: "FROM golang:1.25 AS builder",
  },
  check(ctx) {
    for (const { ins } of instructionsOf(ctx.df, "FROM"))
      if (ins.stageName && ins.stageName !== ins.stageName.toLowerCase())
        ctx.report({ node: ins, message: `stage name "${ins.stageName}" should be lower case` });
  },
});
