import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS406",
    slug: "duplicate-stage-name",
    severity: "error",
    buildkit: "DuplicateStageName",
    category: "correctness",
    description: "Two stages with the same name.",
    rationale:
      "Stage names are case-insensitive and must be unique; BuildKit rejects the file, and readers cannot tell which stage COPY --from means.",
    fix: "Rename one of the stages.",
    hadolint: "DL3024",
    stages: "file",
    stagesNote: "Looks at all stages of the file.",
    bad: "FROM node:22 AS build\nFROM node:22-slim AS build",
    good: "FROM node:22 AS build\nFROM node:22-slim AS runtime",
  },
  check(ctx) {
    const seen = new Map<string, (typeof ctx.df.stages)[number]>();
    for (const s of ctx.df.stages) {
      if (!s.name) continue;
      const key = s.name.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined)
        ctx.report({
          node: s.from,
          stage: s.index,
          message: `stage name "${s.name}" is already used by the stage on line ${first.from.range.start.line}`,
        });
      else seen.set(key, s);
    }
  },
});
