import { commands, instructionsOf } from "../facts.js";
import { insertAfterWord } from "../fixes.js";
import { installOf } from "../packages.js";
import { defineRule } from "../rule.js";

function assumesYes(args: readonly string[]): boolean {
  let quiet = 0;
  for (const a of args) {
    if (a === "--yes" || a === "--assume-yes" || a === "--force-yes") return true;
    if (a === "-q=2" || a === "--quiet=2") return true;
    if (a === "--quiet") quiet++;
    if (/^-[a-zA-Z]+$/.test(a)) {
      if (a.includes("y")) return true;
      quiet += (a.match(/q/g) ?? []).length;
    }
  }
  return quiet >= 2;
}

export default defineRule({
  meta: {
    id: "SS409",
    slug: "apt-get-yes",
    severity: "warning",
    category: "correctness",
    description: "`apt-get install` without `-y`.",
    rationale:
      "Without -y apt-get asks for confirmation; a build has no terminal, so it aborts as soon as a dependency must be added.",
    fix: "Add `-y` (or `-qq`).",
    hadolint: "DL3014",
    stages: "all",
    stagesNote: "Fires in every stage: the build fails wherever it runs.",
    autofix: true,
    bad: "RUN apt-get install curl",
    good: "RUN apt-get install -y curl",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      for (const c of commands(ins)) {
        const inst = installOf(c);
        if (!inst || c.name !== "apt-get" || assumesYes(c.args)) continue;
        const fix = insertAfterWord(ctx.source, c, "install", " -y", "add -y");
        ctx.report({
          node: c.raw,
          stage,
          message: "apt-get install without -y stops at the confirmation prompt",
          ...(fix ? { fix } : {}),
        });
      }
    }
  },
});
