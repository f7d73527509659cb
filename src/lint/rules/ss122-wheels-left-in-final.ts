import { commands, copyDestination, finalImageBuilds, isUnder, stageIndex, unquote } from "../facts.js";
import { isPip, pipArgs } from "../packages.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS122",
    slug: "wheels-left-in-final",
    severity: "warning",
    category: "size",
    description: "Wheels or sdists copied into the final image, installed, and never removed.",
    rationale:
      "After `pip install /wheels/*` the packages live in site-packages; the archives in /wheels are a second copy of every dependency that ships in the image.",
    fix: "Mount them for the install instead of copying (`RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels pip install /wheels/*`), or remove them in the same RUN.",
    stages: "reaches-final",
    stagesNote:
      "Fires in the target's FROM ancestry, where the copied archives stay in a layer of the final image.",
    bad: "COPY --from=builder /wheels /wheels\nRUN pip install --no-cache-dir /wheels/*",
    good: "RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels pip install --no-cache-dir /wheels/*",
  },
  check(ctx) {
    for (const { stage, instructions } of finalImageBuilds(ctx)) {
      if (stage !== ctx.graph.target) continue;
      for (const [i, ins] of instructions.entries()) {
        if (ins.keyword !== "COPY" || ins.from === undefined) continue;
        const dest = copyDestination(ctx.df, ctx.graph, ins);
        if (!dest || !/(wheel|whl|sdist|dist)/i.test(`${dest} ${ins.sources.join(" ")}`)) continue;
        const later = instructions.slice(i + 1).filter((l) => l.keyword === "RUN" && stageIndex(l) >= 0);
        const installs = later.some(
          (r) =>
            r.keyword === "RUN" &&
            commands(r).some(
              (c) => isPip(c) && pipArgs(c).some((a) => isUnder(unquote(a).replace(/\/\*.*$/, ""), dest)),
            ),
        );
        const removed = later.some(
          (r) =>
            r.keyword === "RUN" &&
            commands(r).some(
              (c) => c.name === "rm" && c.args.some((a) => isUnder(dest, unquote(a).replace(/\/\*?$/, ""))),
            ),
        );
        if (installs && !removed)
          ctx.report({
            node: ins,
            stage,
            message: `${dest} is installed from and never removed: the wheels ship in the image beside the installed packages`,
          });
      }
    }
  },
});
