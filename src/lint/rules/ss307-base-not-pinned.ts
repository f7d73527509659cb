import { buildsOnStage, instructionsOf, isReachable } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS307",
    slug: "base-not-pinned",
    severity: "info",
    category: "security",
    description: "A base image not pinned by digest.",
    rationale:
      "Tags are mutable; only a digest names exact bytes. Pinning makes builds reproducible and supply-chain changes visible in review.",
    fix: "Append the digest: `FROM python:3.12-slim@sha256:...` and let a bot (Renovate, Dependabot) update it.",
    stages: "reachable",
    stagesNote: "Fires on the FROM of every stage needed for the target that names an external image.",
    bad: "FROM python:3.12-slim",
    good: "FROM python:3.12-slim@sha256:<digest>",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "FROM")) {
      if (!isReachable(ctx.graph, stage)) continue;
      if (buildsOnStage(ctx.graph, stage)) continue;
      const r = ins.imageRef;
      if (r.scratch || r.digest || r.hasVariables) continue;
      ctx.report({
        node: ins,
        message: `${ins.image} is not pinned by digest`,
        hint: `Append the digest: \`FROM ${ins.image}@sha256:...\` and let a bot (Renovate, Dependabot) update it.`,
      });
    }
  },
});
