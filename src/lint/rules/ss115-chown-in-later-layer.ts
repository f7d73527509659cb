import {
  absolutePath,
  commands,
  copyDestination,
  expandVars,
  finalImageBuilds,
  isUnder,
  stageIndex,
  unquote,
  varsBefore,
  workdirAt,
} from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS115",
    slug: "chown-in-later-layer",
    severity: "warning",
    category: "size",
    description: "`chown -R` / `chmod -R` on files an earlier COPY wrote.",
    rationale:
      "Changing ownership or mode rewrites every file into a new layer: the copied tree ships twice.",
    fix: "Set ownership and mode while copying: `COPY --chown=app:app --chmod=755 ...`.",
    stages: "reaches-final",
    stagesNote: "Fires in the target's FROM ancestry, where both copies of the files are in the final image.",
    bad: "COPY . /app\nRUN chown -R app:app /app",
    good: "COPY --chown=app:app . /app",
  },
  check(ctx) {
    for (const { stage, instructions } of finalImageBuilds(ctx)) {
      const copied: Array<{ dest: string; line: number }> = [];
      for (const ins of instructions) {
        if (ins.keyword === "COPY" || ins.keyword === "ADD") {
          const dest = copyDestination(ctx.df, ctx.graph, ins);
          if (dest !== undefined) copied.push({ dest, line: ins.range.start.line });
        }
        if (ins.keyword !== "RUN" || stageIndex(ins) !== stage) continue;
        const wd = workdirAt(ctx.df, ctx.graph, ins);
        for (const c of commands(ins)) {
          if (
            (c.name !== "chown" && c.name !== "chmod") ||
            !c.args.some((a) => /^-[a-zA-Z]*R/.test(a) || a === "--recursive")
          )
            continue;
          const paths = c.args.filter((a) => !a.startsWith("-")).slice(1);
          for (const a of paths) {
            // `$APP_HOME` resolves through the stage's ENV and ARG defaults.
            const word = expandVars(unquote(a), varsBefore(ctx.df, ctx.graph, ins));
            if (word === undefined) continue;
            const p = absolutePath(word, wd);
            const hit = copied.find((cp) => isUnder(cp.dest, p) || isUnder(p, cp.dest));
            if (hit) {
              ctx.report({
                node: c.raw,
                stage,
                message: `${c.name} -R ${p} rewrites the files copied on line ${hit.line} into a new layer`,
                hint: `Use COPY --${c.name === "chown" ? "chown" : "chmod"}=... on line ${hit.line} instead.`,
              });
              break;
            }
          }
        }
      }
    }
  },
});
