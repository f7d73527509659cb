import { located } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS504",
    slug: "maintainer",
    severity: "warning",
    buildkit: "MaintainerDeprecated",
    category: "maintainability",
    description: "MAINTAINER is deprecated.",
    rationale:
      "MAINTAINER was deprecated in favour of labels; tools read `org.opencontainers.image.authors`.",
    fix: 'Use `LABEL org.opencontainers.image.authors="..."`.',
    hadolint: "DL4000",
    stages: "all",
    stagesNote: "Fires anywhere in the file.",
    bad: "MAINTAINER jane@example.com",
    good: 'LABEL org.opencontainers.image.authors="jane@example.com"',
  },
  check(ctx) {
    for (const { ins, stage } of located(ctx.df))
      if (ins.keyword === "MAINTAINER") ctx.report({ node: ins, stage, message: "MAINTAINER is deprecated" });
  },
});
