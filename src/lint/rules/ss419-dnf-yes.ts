import { commands, hasFlag, instructionsOf, subcommand } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS419",
    slug: "dnf-yes",
    severity: "warning",
    category: "correctness",
    description: "`dnf install` / `microdnf install` without `-y`.",
    rationale: "Without -y dnf waits for a confirmation no build can give, and the build fails.",
    fix: "Add `-y` (`--assumeyes`).",
    hadolint: "DL3038",
    stages: "all",
    stagesNote: "Fires in every stage: the build fails wherever it runs.",
    bad: "RUN dnf install httpd",
    good: "RUN dnf install -y httpd",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      for (const c of commands(ins)) {
        if (
          (c.name !== "dnf" && c.name !== "microdnf") ||
          !["install", "in"].includes(subcommand(c.args) ?? "")
        )
          continue;
        if (hasFlag(c.args, ["--assumeyes"], ["y"])) continue;
        ctx.report({
          node: c.raw,
          stage,
          message: `${c.name} install without -y stops at the confirmation prompt`,
        });
      }
    }
  },
});
