import { instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS413",
    slug: "invalid-port",
    severity: "error",
    category: "correctness",
    description: "EXPOSE of a port outside 0-65535.",
    rationale: "Such a port cannot exist; the image metadata is wrong.",
    fix: "Use a port between 1 and 65535.",
    hadolint: "DL3011",
    stages: "all",
    stagesNote: "Fires in every stage.",
    bad: "EXPOSE 80000",
    good: "EXPOSE 8000",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "EXPOSE")) {
      for (const p of ins.ports) {
        if ((p.port !== undefined && p.port > 65535) || (p.endPort !== undefined && p.endPort > 65535))
          ctx.report({ node: ins, stage, message: `${p.raw} is not a valid port` });
      }
    }
  },
});
