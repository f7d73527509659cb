import type { Instruction } from "../../dockerfile/model.js";
import { ancestry, located, unquote } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS417",
    slug: "copy-relative-dest",
    severity: "warning",
    category: "correctness",
    description: "COPY to a relative destination before any WORKDIR.",
    rationale:
      "A relative destination is resolved against the base image's working directory, which this file does not control.",
    fix: "Set `WORKDIR /app` first, or use an absolute destination.",
    hadolint: "DL3045",
    stages: "all",
    stagesNote: "Fires in every stage; a WORKDIR in the stage's FROM ancestry (within the file) counts.",
    bad: "FROM python:3.12-slim\nCOPY app.py app.py",
    good: "FROM python:3.12-slim\nWORKDIR /app\nCOPY app.py app.py",
  },
  check(ctx) {
    const all = located(ctx.df);
    for (const { ins, stage, onbuild } of all) {
      if (ins.keyword !== "COPY") continue;
      const d = unquote(ins.dest);
      if (d.startsWith("/") || d.includes("$") || /^[A-Za-z]:[\\/]/.test(d)) continue;
      const before: Instruction[] = [];
      if (stage >= 0) {
        const chain = ancestry(ctx.df, ctx.graph, stage).reverse();
        for (const s of chain) for (const i of s.instructions) before.push(i);
      } else before.push(...ctx.df.instructions);
      const idx = before.findIndex((i) => i === ins || (i.keyword === "ONBUILD" && i.trigger === ins));
      const prior = idx >= 0 ? before.slice(0, idx) : before;
      const hasWorkdir = prior.some(
        (i) =>
          i.keyword === "WORKDIR" || (onbuild && i.keyword === "ONBUILD" && i.trigger.keyword === "WORKDIR"),
      );
      if (!hasWorkdir) ctx.report({ node: ins, stage, message: `COPY to relative ${d} with no WORKDIR set` });
    }
  },
});
