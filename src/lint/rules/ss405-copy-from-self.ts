import { located } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS405",
    slug: "copy-from-self",
    severity: "error",
    category: "correctness",
    description: "`COPY --from` naming the stage it is in.",
    rationale: "A stage cannot copy from itself: BuildKit reports a dependency cycle.",
    fix: "Copy from an earlier stage, or use a plain COPY/RUN cp within the stage.",
    hadolint: "DL3023",
    stages: "all",
    stagesNote: "Fires in every stage.",
    bad: "FROM node:22-slim AS app\nCOPY --from=app /x /y",
    good: "FROM node:22-slim AS build\nFROM node:22-slim AS app\nCOPY --from=build /x /y",
  },
  check(ctx) {
    for (const { ins, stage } of located(ctx.df)) {
      if (ins.keyword !== "COPY" || ins.from === undefined || stage < 0) continue;
      const s = ctx.df.stages[stage];
      if ((s?.name && s.name.toLowerCase() === ins.from.toLowerCase()) || ins.from === String(stage))
        ctx.report({ node: ins, stage, message: `--from=${ins.from} is the stage this COPY is in` });
    }
  },
});
