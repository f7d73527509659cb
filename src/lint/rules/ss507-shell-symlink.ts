import { commands, instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS507",
    slug: "shell-symlink",
    severity: "warning",
    category: "maintainability",
    description: "Replacing /bin/sh with a symlink instead of using SHELL.",
    rationale:
      "Relinking /bin/sh changes the shell for every script in the image, including the distribution's own maintainer scripts.",
    fix: 'Use `SHELL ["/bin/bash", "-c"]` for the RUN instructions that need bash.',
    hadolint: "DL4005",
    stages: "all",
    stagesNote: "Fires in every stage.",
    bad: "RUN ln -sf /bin/bash /bin/sh",
    good: 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      for (const c of commands(ins)) {
        if (c.name !== "ln") continue;
        const pos = c.args.filter((a) => !a.startsWith("-"));
        if (pos[pos.length - 1] === "/bin/sh")
          ctx.report({ node: c.raw, stage, message: "ln replaces /bin/sh: use SHELL" });
      }
    }
  },
});
