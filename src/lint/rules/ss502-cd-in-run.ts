import { instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS502",
    slug: "cd-in-run",
    severity: "warning",
    category: "maintainability",
    description: "`cd` in a RUN instead of WORKDIR.",
    rationale:
      "`cd` lasts only for that RUN; later instructions silently run elsewhere. WORKDIR states the directory once for all.",
    fix: "Use `WORKDIR /path` before the RUN.",
    hadolint: "DL3003",
    stages: "all",
    stagesNote: "Fires in every stage.",
    bad: "RUN cd /app && make",
    good: "WORKDIR /app\nRUN make",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      for (const c of ins.shell.commands)
        if (c.name === "cd") ctx.report({ node: c, stage, message: "cd in RUN: use WORKDIR" });
    }
  },
});
