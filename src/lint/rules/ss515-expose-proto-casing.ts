import { instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS515",
    slug: "expose-proto-casing",
    severity: "style",
    category: "maintainability",
    description: "An EXPOSE protocol in upper case (`80/TCP`).",
    rationale:
      "The protocol is matched in lower case (`tcp`, `udp`, `sctp`); BuildKit warns on other spellings.",
    fix: "Write `EXPOSE 80/tcp`.",
    buildkit: "ExposeProtoCasing",
    stages: "all",
    stagesNote: "Fires on every EXPOSE.",
    bad: "EXPOSE 80/TCP",
    good: "EXPOSE 80/tcp",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "EXPOSE"))
      for (const p of ins.ports) {
        const proto = /\/([A-Za-z]+)$/.exec(p.raw)?.[1];
        if (proto && proto !== proto.toLowerCase())
          ctx.report({
            node: ins,
            stage,
            message: `protocol "${proto}" in EXPOSE ${p.raw} should be lower case`,
          });
      }
  },
});
