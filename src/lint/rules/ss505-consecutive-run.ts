import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS505",
    slug: "consecutive-run",
    severity: "info",
    category: "maintainability",
    description: "Consecutive single-command RUN instructions that could be one.",
    rationale: "Each RUN is a layer and a cache step; simple commands in a row are cheaper as one RUN.",
    fix: "Join them with `&&` in one RUN.",
    hadolint: "DL3059",
    stages: "all",
    stagesNote: "Fires in every stage.",
    bad: "RUN mkdir /data\nRUN chown app /data",
    good: "RUN mkdir /data && chown app /data",
  },
  check(ctx) {
    let prev: { flags: string; simple: boolean } | undefined;
    for (const n of ctx.df.nodes) {
      if (n.kind === "comment" || n.kind === "blank" || n.kind === "directive") continue;
      if (n.keyword !== "RUN") {
        prev = undefined;
        continue;
      }
      const cur = {
        flags: n.flags.map((f) => f.raw).join(" "),
        simple: n.shell.commands.length <= 1 && n.heredocs.length === 0,
      };
      if (prev?.simple && cur.simple && prev.flags === cur.flags)
        ctx.report({
          node: n,
          message: "this RUN follows another single-command RUN: consider joining them",
        });
      prev = cur;
    }
  },
});
