import { commands, hasFlag, instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS510",
    slug: "wget-progress",
    severity: "info",
    category: "maintainability",
    description: "wget without a quiet or progress option floods the build log.",
    rationale: "wget's progress bar writes thousands of lines into non-interactive build logs.",
    fix: "Add `-q`, `-nv` or `--progress=dot:giga`.",
    hadolint: "DL3047",
    stages: "all",
    stagesNote: "Fires in every stage.",
    bad: "RUN wget https://example.com/x.tgz",
    good: "RUN wget -q https://example.com/x.tgz",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      for (const c of commands(ins)) {
        if (c.name !== "wget") continue;
        if (
          hasFlag(
            c.args,
            ["--progress", "--quiet", "--no-verbose", "--output-file", "--append-output"],
            ["q", "o", "a"],
          ) ||
          c.args.includes("-nv")
        )
          continue;
        ctx.report({ node: c.raw, stage, message: "wget without -q/-nv/--progress floods the build log" });
      }
    }
  },
});
