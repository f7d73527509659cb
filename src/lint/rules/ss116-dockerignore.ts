import dockerignore, { type Ignore } from "@balena/dockerignore";
import { instructionsOf, isReachable, unquote } from "../facts.js";
import { defineRule } from "../rule.js";

// The package's types declare an ES default export; at run time it is a CommonJS function export.
const ignore = ((dockerignore as { default?: unknown }).default ?? dockerignore) as () => Ignore;

/** What a build context usually holds that no image needs, with a sample path to test the ignore rules with. */
const SHOULD_IGNORE: ReadonlyArray<readonly [string, string]> = [
  [".git", ".git/HEAD"],
  ["node_modules", "node_modules/x/index.js"],
  [".venv / venv", ".venv/bin/python"],
  ["__pycache__", "app/__pycache__/x.pyc"],
];

export default defineRule({
  meta: {
    id: "SS116",
    slug: "dockerignore",
    severity: "warning",
    category: "size",
    description:
      "`COPY .` of the whole build context with no .dockerignore, or one that misses .git, node_modules, venvs or __pycache__.",
    rationale:
      "Without a .dockerignore, `COPY . .` copies the git history, local virtualenvs, node_modules built for the host and bytecode caches into the image, and any edit to them busts the cache.",
    fix: "Add a .dockerignore with at least: .git, node_modules, .venv, venv, __pycache__, *.pyc.",
    stages: "reachable",
    stagesNote:
      "Fires on whole-context copies in any stage needed for the target: even a builder stage pays the transfer and cache busting. Needs to know the build context (the CLI passes it); silent when it is unknown.",
    bad: "COPY . .   # and no .dockerignore",
    good: "COPY . .   # with .dockerignore: .git node_modules .venv __pycache__",
  },
  check(ctx) {
    const text = ctx.env.dockerignore;
    if (text === undefined) return;
    for (const { ins, stage } of [...instructionsOf(ctx.df, "COPY"), ...instructionsOf(ctx.df, "ADD")]) {
      if (!isReachable(ctx.graph, stage) || ("from" in ins && ins.from !== undefined)) continue;
      const whole = ins.sources.map(unquote).some((s) => s === "." || s === "./" || s === "/" || s === "*");
      if (!whole) continue;
      if (text === null) {
        ctx.report({ node: ins, message: "copies the whole build context, and there is no .dockerignore" });
        continue;
      }
      const ig = ignore().add(text);
      const missing = SHOULD_IGNORE.filter(([, sample]) => !ig.ignores(sample)).map(([name]) => name);
      if (missing.length)
        ctx.report({
          node: ins,
          message: `copies the whole build context; .dockerignore does not exclude ${missing.join(", ")}`,
        });
    }
  },
});
