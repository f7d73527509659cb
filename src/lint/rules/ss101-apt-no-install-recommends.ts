import { commands, hasFlag, inScope, instructionsOf, pathReachesFinal } from "../facts.js";
import { insertAfterWord } from "../fixes.js";
import { installOf } from "../packages.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS101",
    slug: "apt-no-install-recommends",
    severity: "warning",
    category: "size",
    description: "`apt-get install` without `--no-install-recommends`.",
    rationale:
      "apt installs recommended packages by default: documentation, extra locales, helpers nobody asked for. They often double the installed size.",
    fix: "Add `--no-install-recommends` and name the packages you need explicitly.",
    hadolint: "DL3015",
    stages: "reaches-final",
    stagesNote:
      "Fires in stages whose filesystem reaches the final image; silent in builder stages whose files are only copied from.",
    autofix: true,
    bad: "RUN apt-get update && apt-get install -y curl",
    good: "RUN apt-get update && apt-get install -y --no-install-recommends curl",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      if (!inScope(ctx.graph, "reaches-final", stage) && !pathReachesFinal(ctx, stage, "/usr")) continue;
      for (const c of commands(ins)) {
        const inst = installOf(c);
        if (inst?.manager !== "apt" || c.name !== "apt-get") continue;
        if (hasFlag(c.args, ["--no-install-recommends"])) continue;
        if (c.args.some((a) => /APT::Install-Recommends=(false|0|no)/i.test(a))) continue;
        const fix = insertAfterWord(
          ctx.source,
          c,
          "install",
          " --no-install-recommends",
          "add --no-install-recommends",
        );
        ctx.report({
          node: c.raw,
          stage,
          message: "apt-get install without --no-install-recommends pulls in recommended packages",
          ...(fix ? { fix } : {}),
        });
      }
    }
  },
});
