import { instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS311",
    slug: "ssh-port",
    severity: "warning",
    category: "security",
    description: "EXPOSE 22: an SSH server in the container.",
    rationale:
      "An SSH daemon in an app container is another service to patch and another way in; `docker exec` does the job.",
    fix: "Remove sshd and the EXPOSE; use `docker exec` / `kubectl exec` for debugging.",
    stages: "final-stage",
    stagesNote:
      "Looks at the target stage and its FROM ancestry: only the final image's exposed ports matter.",
    bad: "EXPOSE 22",
    good: "EXPOSE 8000",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "EXPOSE")) {
      if (stage >= 0 && !ctx.graph.stages[stage]?.reachesFinalImage) continue;
      for (const p of ins.ports) {
        if (p.port === undefined) continue;
        const end = p.endPort ?? p.port;
        if (p.port <= 22 && end >= 22 && p.protocol !== "udp")
          ctx.report({ node: ins, message: `exposes the SSH port (${p.raw})` });
      }
    }
  },
});
