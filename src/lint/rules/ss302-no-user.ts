import { ancestry } from "../facts.js";
import { dropsPrivileges, isBaseImage } from "../final-command.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS302",
    slug: "no-user",
    severity: "warning",
    category: "security",
    description: "The final stage never sets a USER: the container runs as root.",
    rationale:
      "Official language images (python, node, debian) default to root. Without a USER instruction the app runs as uid 0.",
    fix: "Create a user and switch to it: `RUN useradd --create-home app` then `USER app` (node images have `USER node`).",
    stages: "final-stage",
    stagesNote:
      "Looks at the target stage and its FROM ancestry within the file; a USER in a stage it builds on counts.",
    bad: 'FROM python:3.12-slim\nCMD ["python", "app.py"]',
    good: 'FROM python:3.12-slim\nRUN useradd --create-home app\nUSER app\nCMD ["python", "app.py"]',
  },
  check(ctx) {
    if (ctx.df.stages.length === 0) return;
    const chain = ancestry(ctx.df, ctx.graph, ctx.graph.target);
    if (chain.some((s) => s.instructions.some((i) => i.keyword === "USER"))) return;
    const root = chain[chain.length - 1];
    const final = chain[0];
    if (!root || !final || root.from.imageRef.scratch) return;
    // Base images (python3, node, bash as CMD) leave USER to the apps built on them; servers such as
    // postgres, redis and nginx start as root and drop privileges themselves.
    if (isBaseImage(ctx) || dropsPrivileges(ctx)) return;
    ctx.report({ node: final.from, message: "the final stage sets no USER, so the container runs as root" });
  },
});
