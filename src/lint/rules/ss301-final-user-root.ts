import { ancestry } from "../facts.js";
import { defineRule } from "../rule.js";

const ROOT = /^(root|0)(:(root|0))?$/;

export default defineRule({
  meta: {
    id: "SS301",
    slug: "final-user-root",
    severity: "warning",
    category: "security",
    description: "The final stage switches to root last (`USER root` or `USER 0`).",
    rationale:
      "A process running as root in the container is root on the host's kernel: one escape away from the host.",
    fix: "End the final stage with `USER <non-root>` after the steps that need root.",
    stages: "final-stage",
    stagesNote: "Looks at the target stage and its FROM ancestry only: a builder stage may run as root.",
    differences: [
      "Not mapped to hadolint's DL3002: DL3002 reports a stage whose last USER is root even when that stage never reaches the final image (DL3002Spec.hs:77); slimstage looks at the final image only.",
    ],
    bad: "USER root",
    good: "USER app",
  },
  check(ctx) {
    if (ctx.df.stages.length === 0) return;
    const chain = ancestry(ctx.df, ctx.graph, ctx.graph.target);
    for (const s of chain) {
      const users = s.instructions.filter((i) => i.keyword === "USER");
      const last = users[users.length - 1];
      if (last?.keyword !== "USER") continue;
      const u = `${last.user}${last.group ? `:${last.group}` : ""}`;
      if (ROOT.test(u)) ctx.report({ node: last, message: `the final image runs as ${u}` });
      return;
    }
  },
});
