import { cacheMounted, commands, hasFlag, instructionsOf, pathReachesFinal, subcommand } from "../facts.js";
import { insertAfterWord } from "../fixes.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS104",
    slug: "apk-no-cache",
    severity: "warning",
    category: "size",
    description: "`apk add` without `--no-cache`.",
    rationale: "Without `--no-cache`, apk keeps its package index in /var/cache/apk, in the layer.",
    fix: "Use `apk add --no-cache ...`, or mount /var/cache/apk as a cache.",
    hadolint: "DL3019",
    stages: "reaches-final",
    stagesNote:
      "Fires where /var/cache/apk can reach the final image; silent in builder stages that only hand on other files.",
    autofix: true,
    bad: "RUN apk add curl",
    good: "RUN apk add --no-cache curl",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      if (!pathReachesFinal(ctx, stage, "/var/cache/apk")) continue;
      if (cacheMounted(ins, (t) => t.replace(/\/+$/, "") === "/var/cache/apk")) continue;
      for (const c of commands(ins)) {
        if (
          c.name !== "apk" ||
          subcommand(c.args) !== "add" ||
          hasFlag(c.args, ["--no-cache", "--no-network"])
        )
          continue;
        const fix = insertAfterWord(ctx.source, c, "add", " --no-cache", "add --no-cache");
        ctx.report({
          node: c.raw,
          stage,
          message: "apk add without --no-cache keeps the package index in the layer",
          ...(fix ? { fix } : {}),
        });
      }
    }
  },
});
