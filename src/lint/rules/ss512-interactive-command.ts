import { commands, instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

const POINTLESS = new Set([
  "ssh",
  "vim",
  "vi",
  "nano",
  "shutdown",
  "service",
  "ps",
  "free",
  "top",
  "kill",
  "mount",
  "ifconfig",
]);

export default defineRule({
  meta: {
    id: "SS512",
    slug: "interactive-command",
    severity: "info",
    category: "maintainability",
    description: "A RUN of a command that makes no sense in a build (ssh, vim, top, service, shutdown, ...).",
    rationale:
      "Interactive tools and service managers do nothing useful in a non-interactive build step without an init system.",
    fix: "Remove the command; configure services through the image's CMD/ENTRYPOINT.",
    hadolint: "DL3001",
    stages: "all",
    stagesNote: "Fires in every stage.",
    bad: "RUN service nginx start",
    good: 'CMD ["nginx", "-g", "daemon off;"]',
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      for (const c of commands(ins)) {
        if (POINTLESS.has(c.name))
          ctx.report({ node: c.raw, stage, message: `${c.name} does nothing useful in a build step` });
      }
    }
  },
});
