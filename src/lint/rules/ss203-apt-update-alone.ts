import { commands, instructionsOf, isReachable, subcommand } from "../facts.js";
import { installsIn } from "../packages.js";
import { defineRule } from "../rule.js";

const APT = new Set(["apt-get", "apt", "aptitude"]);

export default defineRule({
  meta: {
    id: "SS203",
    slug: "apt-update-alone",
    severity: "warning",
    category: "cache",
    description: "`apt-get update` in a RUN of its own, apart from the install.",
    rationale:
      "The update layer is cached forever: a later change to the install line reuses stale package lists, and installs fail or get old versions. The lists also ship in their own layer.",
    fix: "Run `apt-get update && apt-get install ... && rm -rf /var/lib/apt/lists/*` in one RUN.",
    stages: "reachable",
    stagesNote: "Fires in every stage needed for the target.",
    bad: "RUN apt-get update\nRUN apt-get install -y curl",
    good: "RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      if (!isReachable(ctx.graph, stage)) continue;
      const cmds = commands(ins);
      const update = cmds.find((c) => APT.has(c.name) && subcommand(c.args) === "update");
      if (!update || installsIn(ins).some((i) => i.manager === "apt")) continue;
      ctx.report({
        node: update.raw,
        stage,
        message: "apt-get update without an install in the same RUN: the cached lists go stale",
      });
    }
  },
});
