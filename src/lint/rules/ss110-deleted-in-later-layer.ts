import type { Instruction } from "../../dockerfile/model.js";
import {
  absolutePath,
  commands,
  copyDestination,
  finalImageBuilds,
  isUnder,
  stageIndex,
  workdirAt,
} from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS110",
    slug: "deleted-in-later-layer",
    severity: "warning",
    category: "size",
    description: "Files removed in a later layer than the one that created them.",
    rationale:
      "Layers only add: `rm` in a later RUN hides the files but the earlier layer still ships them. The image gets no smaller.",
    fix: "Delete in the same RUN that creates the files, keep them out with .dockerignore, or create them in a builder stage.",
    stages: "reaches-final",
    stagesNote: "Fires in the target's FROM ancestry, where the hidden bytes are part of the final image.",
    bad: "COPY . /app\nRUN rm -rf /app/tests",
    good: "# .dockerignore: tests/\nCOPY . /app",
  },
  check(ctx) {
    for (const { stage, instructions } of finalImageBuilds(ctx)) {
      const earlier: Array<{ ins: Instruction; paths: string[]; text: string }> = [];
      for (const ins of instructions) {
        if (ins.keyword === "RUN" && stageIndex(ins) === stage) {
          const wd = workdirAt(ctx.df, ctx.graph, ins);
          for (const c of commands(ins)) {
            if (c.name !== "rm") continue;
            for (const a of c.args) {
              if (a.startsWith("-") || a.includes("$")) continue;
              const literal = a.replace(/\/\*$/, "");
              if (/[*?[]/.test(literal)) continue;
              const p = absolutePath(literal, wd);
              if (p === "/" || isUnder(p, "/var/lib/apt/lists") || isUnder(p, "/tmp")) continue;
              const creator = earlier.find(
                (e) => e.paths.some((d) => isUnder(p, d) && d !== "/") || e.text.includes(p),
              );
              if (creator)
                ctx.report({
                  node: c.raw,
                  stage,
                  message: `${p} is removed here but was written by line ${creator.ins.range.start.line}: its bytes stay in that layer`,
                });
            }
          }
        }
        if (ins.keyword === "COPY" || ins.keyword === "ADD") {
          const d = copyDestination(ctx.df, ctx.graph, ins);
          if (d === undefined) continue;
          earlier.push({ ins, paths: [d], text: "" });
        } else if (ins.keyword === "RUN") {
          earlier.push({ ins, paths: [], text: ins.shell.script });
        }
      }
    }
  },
});
