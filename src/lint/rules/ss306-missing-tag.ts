import { buildsOnStage, instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS306",
    slug: "missing-tag",
    severity: "warning",
    category: "security",
    description: "A base image without a tag (it means `latest`).",
    rationale: "An untagged image is `latest` in disguise: the build changes whenever the image does.",
    fix: "Pin a version tag (`debian:bookworm-slim`).",
    hadolint: "DL3006",
    stages: "all",
    stagesNote: "Fires in every stage; references to earlier stages are not images and are skipped.",
    bad: "FROM debian",
    good: "FROM debian:bookworm-slim",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "FROM")) {
      if (buildsOnStage(ctx.graph, stage)) continue;
      const earlier = ctx.df.stages.some(
        (s) => s.index < stage && s.name?.toLowerCase() === ins.image.toLowerCase(),
      );
      const r = ins.imageRef;
      if (earlier || r.scratch || r.hasVariables || r.tag || r.digest) continue;
      ctx.report({ node: ins, message: `${ins.image} has no tag, so it is whatever "latest" is today` });
    }
  },
});
