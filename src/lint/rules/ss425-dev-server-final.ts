import { finalCommand, startedProcess } from "../final-command.js";
import { devServerOf } from "../node-scripts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS425",
    slug: "dev-server-final",
    severity: "warning",
    category: "correctness",
    description:
      "The final image runs a development server (`flask run`, `manage.py runserver`, nodemon, `next dev`, `ng serve`).",
    rationale:
      "Development servers are single-threaded or rebuild on every change, watch the file system, print debug pages with source and secrets, and their authors say not to use them in production.",
    fix: "Run a production server in the final stage (gunicorn or uvicorn without --reload, `node server.js`, `next start`), and keep the dev server in a dev stage that compose builds with `target:`.",
    stages: "final-stage",
    stagesNote:
      "Looks at the CMD and ENTRYPOINT in effect for the target stage (the compose file's `build.target` when there is one), following `npm run X` through package.json.",
    bad: 'CMD ["flask", "run", "--host=0.0.0.0"]',
    good: 'CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]',
  },
  check(ctx) {
    const { words, node } = startedProcess(finalCommand(ctx));
    if (!node) return;
    const what = devServerOf(words, ctx.env.packageJson);
    if (what) ctx.report({ node, message: `the final image runs a development server: ${what}` });
  },
});
