import { commands, hasFlag, instructionsOf, subcommand } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS420",
    slug: "zypper-yes",
    severity: "warning",
    category: "correctness",
    description: "`zypper install` without `-n` / `-y`.",
    rationale: "Without a non-interactive flag zypper asks for confirmation, and the build fails.",
    fix: "Use `zypper --non-interactive install ...` or `zypper install -y ...`.",
    hadolint: "DL3034",
    stages: "all",
    stagesNote: "Fires in every stage.",
    bad: "RUN zypper install httpd",
    good: "RUN zypper install -y httpd",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      for (const c of commands(ins)) {
        if (c.name !== "zypper" || !["install", "in"].includes(subcommand(c.args) ?? "")) continue;
        if (hasFlag(c.args, ["--non-interactive", "--no-confirm"], ["n", "y"])) continue;
        ctx.report({
          node: c.raw,
          stage,
          message: "zypper install without -n/-y stops at the confirmation prompt",
        });
      }
    }
  },
});
