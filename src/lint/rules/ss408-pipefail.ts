import { basename, commands, hasPipe, instructionsOf, shellAt } from "../facts.js";
import { defineRule } from "../rule.js";

const POSIX = new Set(["sh", "bash", "zsh", "ash", "dash", "ksh", "mksh"]);

export default defineRule({
  meta: {
    id: "SS408",
    slug: "pipefail",
    severity: "warning",
    category: "correctness",
    description: "A RUN with a pipe and no `pipefail`: a failing download or command on the left is ignored.",
    rationale:
      "/bin/sh returns the exit status of the last command of a pipe: `curl ... | tar -x` succeeds even when curl failed, and the image is silently broken.",
    fix: 'Set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the RUN, or start the script with `set -o pipefail &&` (bash).',
    hadolint: "DL4006",
    stages: "all",
    stagesNote: "Fires in every stage; SHELL is followed through each stage's FROM ancestry.",
    bad: "RUN curl -fsSL https://example.com/x.tgz | tar -xz",
    good: 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/x.tgz | tar -xz',
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      if (ins.command.form !== "shell" || !hasPipe(ctx.source, ins)) continue;
      const shell = shellAt(ctx.df, ctx.graph, ins);
      const exe = basename(shell[0] ?? "");
      if (!POSIX.has(exe)) continue; // powershell, cmd: no pipefail
      if (exe !== "sh" && shell.some((a, i) => a === "pipefail" && /^-[a-z]*o$/.test(shell[i - 1] ?? "")))
        continue;
      const cmds = commands(ins);
      if (cmds.some((c) => c.name === "set" && c.args.includes("pipefail"))) continue;
      ctx.report({
        node: ins,
        stage,
        message: "RUN uses a pipe without pipefail: failures on the left of | are ignored",
      });
    }
  },
});
