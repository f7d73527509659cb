import { basename, instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS309",
    slug: "sudo",
    severity: "warning",
    category: "security",
    description: "`sudo` in a RUN.",
    rationale:
      "Builds already run as the current USER; sudo adds a setuid binary, a TTY dependency and unpredictable environment handling.",
    fix: "Switch with `USER root` for the steps that need it, then back to the app user; or use gosu at run time.",
    hadolint: "DL3004",
    stages: "all",
    stagesNote: "Fires in every stage.",
    bad: "RUN sudo apt-get update",
    good: "USER root\nRUN apt-get update\nUSER app",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      for (const c of ins.shell.commands) {
        if (basename(c.name) === "sudo") ctx.report({ node: c, stage, message: "sudo in a Dockerfile RUN" });
      }
    }
  },
});
