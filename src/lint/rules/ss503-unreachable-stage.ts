import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS503",
    slug: "unreachable-stage",
    severity: "info",
    category: "maintainability",
    description: "A stage the target never uses.",
    rationale:
      "BuildKit skips it, so it is dead code: it is never built or tested unless someone passes --target.",
    fix: "Remove it, or build it explicitly with --target (test and lint stages).",
    stages: "file",
    stagesNote:
      "Reports stages not reachable from the target (the last stage unless --target says otherwise).",
    bad: 'FROM node:22 AS old\nFROM node:22-slim\nCMD ["node", "app.js"]',
    good: 'FROM node:22-slim\nCMD ["node", "app.js"]',
  },
  check(ctx) {
    for (const s of ctx.df.stages) {
      if (ctx.graph.stages[s.index]?.reachable === false)
        ctx.report({
          node: s.from,
          stage: s.index,
          message: `stage ${s.name ?? s.index} is never used by the target stage`,
        });
    }
  },
});
