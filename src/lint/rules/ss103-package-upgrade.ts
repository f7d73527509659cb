import { commands, instructionsOf, reachesFinal, subcommand } from "../facts.js";
import { defineRule } from "../rule.js";

const UPGRADES: Record<string, string[]> = {
  "apt-get": ["upgrade", "dist-upgrade", "full-upgrade"],
  apt: ["upgrade", "dist-upgrade", "full-upgrade"],
  aptitude: ["upgrade", "safe-upgrade", "full-upgrade"],
  apk: ["upgrade"],
};

export default defineRule({
  meta: {
    id: "SS103",
    slug: "package-upgrade",
    severity: "warning",
    category: "size",
    description: "`apt-get upgrade` / `apk upgrade` in the image.",
    rationale:
      "Upgrading every package writes a second copy of each upgraded file into a new layer on top of the base's, and makes the build depend on the day it ran.",
    fix: "Use a newer base image tag (rebuild on base updates) and install only the packages you need.",
    stages: "reaches-final",
    stagesNote: "Fires in the target's FROM ancestry, where the duplicated files end up in the final image.",
    bad: "RUN apt-get update && apt-get -y upgrade",
    good: "FROM python:3.12-slim  # a fresh base instead of an upgrade layer",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      if (!reachesFinal(ctx.graph, stage)) continue;
      for (const c of commands(ins)) {
        const sub = subcommand(c.args);
        if (sub && UPGRADES[c.name]?.includes(sub))
          ctx.report({
            node: c.raw,
            stage,
            message: `\`${c.name} ${sub}\` duplicates upgraded files in a new layer`,
          });
      }
    }
  },
});
