import dockerignore, { type Ignore } from "@balena/dockerignore";
import { located, unquote } from "../facts.js";
import { defineRule } from "../rule.js";

// The package's types declare an ES default export; at run time it is a CommonJS function export.
const ignore = ((dockerignore as { default?: unknown }).default ?? dockerignore) as () => Ignore;

export default defineRule({
  meta: {
    id: "SS434",
    slug: "copy-ignored-file",
    severity: "error",
    category: "correctness",
    description: "COPY or ADD of a path that the build context's .dockerignore excludes.",
    rationale:
      'Excluded files never reach the builder: the COPY fails with "not found", or a wildcard copies less than it seems to.',
    fix: "Remove the path from .dockerignore (or add a `!path` exception), or stop copying it.",
    buildkit: "CopyIgnoredFile",
    stages: "reachable",
    stagesNote:
      "Fires on copies from the build context in stages needed for the target; needs the context's .dockerignore (the CLI reads it).",
    bad: "COPY .env.production /app/   # .dockerignore: .env*",
    good: "COPY config/production.yaml /app/",
  },
  check(ctx) {
    const text = ctx.env.dockerignore;
    if (!text) return;
    const ig = ignore().add(text);
    for (const { ins, stage, onbuild } of located(ctx.df)) {
      if ((ins.keyword !== "COPY" && ins.keyword !== "ADD") || onbuild) continue;
      if ("from" in ins && ins.from !== undefined) continue;
      if (stage >= 0 && !(ctx.graph.stages[stage]?.reachable ?? true)) continue;
      for (const raw of ins.sources) {
        const src = unquote(raw).replace(/^\.?\//, "");
        if (!src || src === "." || /[*?[$]|^<</.test(src) || /^[a-z]+:\/\//i.test(src)) continue;
        if (ig.ignores(src))
          ctx.report({
            node: ins,
            stage,
            message: `${src} is excluded by .dockerignore: it is not in the build context`,
          });
      }
    }
  },
});
