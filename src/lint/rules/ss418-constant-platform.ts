import { instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS418",
    slug: "constant-platform",
    severity: "warning",
    buildkit: "FromPlatformFlagConstDisallowed",
    category: "correctness",
    description: "`FROM --platform=` with a constant value.",
    rationale:
      "A hard-coded platform breaks multi-platform builds and emulates on other hosts; use the automatic platform args.",
    fix: "Use `--platform=$BUILDPLATFORM` (builders) or drop the flag.",
    hadolint: "DL3029",
    stages: "all",
    stagesNote: "Fires in every stage.",
    bad: "FROM --platform=linux/amd64 debian:12",
    good: "FROM --platform=$BUILDPLATFORM debian:12",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "FROM")) {
      if (ins.platform !== undefined && !ins.platform.includes("$"))
        ctx.report({ node: ins, stage, message: `--platform=${ins.platform} is hard-coded` });
    }
  },
});
