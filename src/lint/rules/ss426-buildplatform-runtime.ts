import { ancestry } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS426",
    slug: "buildplatform-runtime",
    severity: "warning",
    category: "correctness",
    description: "`FROM --platform=$BUILDPLATFORM` on the stage that becomes the runtime image.",
    rationale:
      "$BUILDPLATFORM is the machine that builds; it belongs on builder stages that cross-compile. On the final stage, an arm64 image built on an amd64 machine gets amd64 binaries and fails to start with `exec format error`.",
    fix: "Drop `--platform` from the final stage (it defaults to $TARGETPLATFORM), and keep `--platform=$BUILDPLATFORM` on the builder stages only.",
    stages: "final-stage",
    stagesNote: "Looks at the target stage and its FROM ancestry.",
    bad: "FROM --platform=$BUILDPLATFORM alpine:3.22",
    good: "FROM --platform=$BUILDPLATFORM golang:1.25 AS build\nFROM alpine:3.22",
  },
  check(ctx) {
    if (ctx.df.stages.length === 0) return;
    for (const stage of ancestry(ctx.df, ctx.graph, ctx.graph.target)) {
      const p = stage.from.platform ?? "";
      if (/\$\{?BUILDPLATFORM\}?/.test(p) || /\$\{?BUILDOS\}?/.test(p))
        ctx.report({
          node: stage.from,
          message: `the runtime image is built for the build machine's platform (${p}), not the target's`,
        });
    }
  },
});
