import { parseFromReference } from "../../dockerfile/image-ref.js";
import { located, resolveStageRef } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS320",
    slug: "copy-from-image-unpinned",
    severity: "warning",
    category: "security",
    description: "`COPY --from=<image>` of an external image with no tag (or `latest`) and no digest.",
    rationale:
      "Files copied from an image are as much part of the build as its base image, but the pinning rules only read FROM: `COPY --from=busybox` copies whatever `busybox:latest` is on the day of the build.",
    fix: "Name a tag, and pin the digest for reproducible builds: `COPY --from=busybox:1.37@sha256:... /bin/busybox /bin/`.",
    stages: "reachable",
    stagesNote: "Fires in every stage needed for the target; `--from` naming a stage is never an image.",
    bad: "COPY --from=busybox /bin/busybox /bin/busybox",
    good: "COPY --from=busybox:1.37@sha256:<digest> /bin/busybox /bin/busybox",
  },
  check(ctx) {
    for (const { ins, stage } of located(ctx.df)) {
      if (
        ins.keyword !== "COPY" ||
        ins.from === undefined ||
        ins.from.includes("$") ||
        /^\d+$/.test(ins.from)
      )
        continue;
      if (resolveStageRef(ctx.df, ctx.graph, ins.from, stage) !== undefined) continue;
      if (ctx.graph.byName[ins.from.toLowerCase()] !== undefined) continue; // a stage (defined later: SS404's)
      if (stage >= 0 && !(ctx.graph.stages[stage]?.reachable ?? true)) continue;
      const ref = parseFromReference(ins.from);
      if (ref.digest || (ref.tag && ref.tag !== "latest")) continue;
      ctx.report({
        node: ins,
        stage,
        message: `--from=${ins.from} copies from an image with ${ref.tag ? 'the moving tag "latest"' : "no tag"} and no digest`,
      });
    }
  },
});
