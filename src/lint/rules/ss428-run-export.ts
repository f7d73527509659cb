import { commands, instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS428",
    slug: "run-export",
    severity: "warning",
    category: "correctness",
    description: "A RUN that only exports variables: the export ends with that RUN's shell.",
    rationale:
      "Each RUN starts a new shell; `RUN export DEBIAN_FRONTEND=noninteractive` sets the variable for nothing, and the later RUN it was meant for does not see it.",
    fix: "Use `ENV NAME=value` (or `ARG NAME=value` for build-time only), or set it inline in the RUN that needs it.",
    stages: "all",
    stagesNote: "Fires in every stage.",
    autofix: true,
    bad: "RUN export DEBIAN_FRONTEND=noninteractive",
    good: "ARG DEBIAN_FRONTEND=noninteractive",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      if (ins.command.form !== "shell" || ins.heredocs.length) continue;
      const cmds = commands(ins);
      if (cmds.length === 0 || !cmds.every((c) => c.name === "export")) continue;
      const pairs = cmds.flatMap((c) => c.args).filter((a) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(a));
      const plain =
        pairs.length > 0 && pairs.every((p) => /^[A-Za-z_][A-Za-z0-9_]*=[A-Za-z0-9_./:@%+,-]*$/.test(p));
      const single = ins.range.start.line === ins.range.end.line;
      ctx.report({
        node: ins,
        stage,
        message: `RUN export ${pairs.map((p) => p.split("=")[0]).join(", ") || "(no assignment)"} has no effect on later instructions`,
        ...(plain && single && !ins.flags.length
          ? {
              fix: {
                title: "use ENV",
                edits: [
                  {
                    start: ins.range.start.offset,
                    end: ins.range.end.offset,
                    text: `ENV ${pairs.join(" ")}`,
                  },
                ],
              },
            }
          : {}),
      });
    }
  },
});
