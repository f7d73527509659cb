import { commands, instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS414",
    slug: "use-apt-get",
    severity: "warning",
    category: "correctness",
    description: "`apt` in a RUN instead of `apt-get`.",
    rationale:
      "apt is for interactive use: its command-line interface is not stable and it warns so in scripts.",
    fix: "Use `apt-get` (or `apt-cache`).",
    hadolint: "DL3027",
    stages: "all",
    stagesNote: "Fires in every stage.",
    autofix: true,
    bad: "RUN apt install -y curl",
    good: "RUN apt-get install -y curl",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      for (const c of commands(ins)) {
        if (c.name !== "apt" || c.raw.name !== "apt") continue;
        const at = c.raw.range.start.offset + c.raw.raw.indexOf("apt");
        const ok = ctx.source.slice(at, at + 4) === "apt ";
        ctx.report({
          node: c.raw,
          stage,
          message: "apt is meant for interactive use; use apt-get in scripts",
          ...(ok
            ? { fix: { title: "use apt-get", edits: [{ start: at, end: at + 3, text: "apt-get" }] } }
            : {}),
        });
      }
    }
  },
});
