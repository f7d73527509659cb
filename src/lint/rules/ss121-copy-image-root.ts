import { parseFromReference } from "../../dockerfile/image-ref.js";
import { located, reachesFinal, resolveStageRef, unquote } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS121",
    slug: "copy-image-root",
    severity: "warning",
    category: "size",
    description: "`COPY --from=<image> / /`: a whole foreign image's filesystem copied over the final image.",
    rationale:
      "Copying an image's root brings its shell, libraries, package database and /etc over yours: hundreds of megabytes, files of another distribution overwriting your own, and none of it visible in the Dockerfile.",
    fix: "Copy only the files you need (`COPY --from=docker:cli /usr/local/bin/docker /usr/local/bin/`), or do this in a development stage that is not the target.",
    stages: "reaches-final",
    stagesNote: "Fires in the target's FROM ancestry; a development stage that is not built is left alone.",
    bad: "COPY --from=gloursdocker/docker / /",
    good: "COPY --from=docker:28-cli /usr/local/bin/docker /usr/local/bin/docker",
  },
  check(ctx) {
    for (const { ins, stage } of located(ctx.df)) {
      if (ins.keyword !== "COPY" || ins.from === undefined || !reachesFinal(ctx.graph, stage)) continue;
      if (resolveStageRef(ctx.df, ctx.graph, ins.from, stage) !== undefined) continue;
      if (ins.from.includes("$") || parseFromReference(ins.from).scratch) continue;
      const root = ins.sources.map(unquote).some((s) => s === "/" || s === "/." || s === "/*");
      if (root && unquote(ins.dest).replace(/\/+$/, "") === "")
        ctx.report({
          node: ins,
          stage,
          message: `copies the whole filesystem of ${ins.from} into the final image`,
        });
    }
  },
});
