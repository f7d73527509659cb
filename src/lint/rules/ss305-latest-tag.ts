import { buildsOnStage, instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS305",
    slug: "latest-tag",
    severity: "warning",
    category: "security",
    description: "A base image with the `latest` tag.",
    rationale:
      "`latest` moves: the same Dockerfile builds a different image tomorrow, with a different OS, runtime or vulnerabilities.",
    fix: "Pin a version tag (`python:3.12-slim`), ideally with a digest.",
    hadolint: "DL3007",
    stages: "all",
    stagesNote: "Fires in every stage: a moving builder base changes what gets built too.",
    bad: "FROM alpine:latest",
    good: "FROM alpine:3.22",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "FROM")) {
      if (buildsOnStage(ctx.graph, stage)) continue;
      if (ins.imageRef.tag === "latest" && !ins.imageRef.digest)
        ctx.report({ node: ins, message: `${ins.image} uses the moving tag "latest"` });
    }
  },
});
