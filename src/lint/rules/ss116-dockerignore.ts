import dockerignore, { type Ignore } from "@balena/dockerignore";
import { commands, instructionsOf, isReachable, located, unquote } from "../facts.js";
import { defineRule, type RuleContext } from "../rule.js";

// The package's types declare an ES default export; at run time it is a CommonJS function export.
const ignore = ((dockerignore as { default?: unknown }).default ?? dockerignore) as () => Ignore;

/** What a build context usually holds that no image needs, with a sample path to test the ignore rules with. */
const SHOULD_IGNORE: ReadonlyArray<readonly [string, string, "any" | "node" | "python"]> = [
  [".git", ".git/HEAD", "any"],
  ["node_modules", "node_modules/x/index.js", "node"],
  [".venv / venv", ".venv/bin/python", "python"],
  ["__pycache__", "app/__pycache__/x.pyc", "python"],
];

/** Which ecosystems the Dockerfile builds for, from its base images and commands. */
function ecosystems(df: RuleContext["df"]): Set<string> {
  const out = new Set<string>(["any"]);
  for (const { ins } of located(df)) {
    if (ins.keyword === "FROM") {
      if (/(^|\/)node(:|@|$)/.test(ins.image)) out.add("node");
      if (/(^|\/)(python|pypy)(:|@|$)/.test(ins.image)) out.add("python");
    }
    if (ins.keyword === "RUN") {
      for (const c of commands(ins)) {
        if (["npm", "yarn", "pnpm", "node", "npx"].includes(c.name)) out.add("node");
        if (/^(pip\d*(\.\d+)?|python\d*(\.\d+)?|poetry|pipenv|uv)$/.test(c.name)) out.add("python");
      }
    }
  }
  return out;
}

/**
 * What this build context should exclude. A `.git` is judged by its presence
 * when the context is known (a subfolder of a repository has none); the
 * others by ecosystem, since local installs create them after a checkout.
 */
function shouldIgnore(ctx: RuleContext): Array<(typeof SHOULD_IGNORE)[number]> {
  const kinds = ecosystems(ctx.df);
  const entries = ctx.env.contextEntries;
  return SHOULD_IGNORE.filter(
    ([name, , kind]) =>
      kinds.has(kind) && !(name === ".git" && entries !== undefined && !entries.includes(".git")),
  );
}

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
    for (const { ins, stage, onbuild } of [
      ...instructionsOf(ctx.df, "COPY"),
      ...instructionsOf(ctx.df, "ADD"),
    ]) {
      if (!isReachable(ctx.graph, stage) || ("from" in ins && ins.from !== undefined)) continue;
      if (onbuild) continue; // ONBUILD COPY runs in the downstream image's build, with its context, not this one
      const whole = ins.sources.map(unquote).some((s) => s === "." || s === "./" || s === "/" || s === "*");
      if (!whole) continue;
      if (text === null) {
        const at = shouldIgnore(ctx).map(([name]) => name);
        if (at.length)
          ctx.report({
            node: ins,
            message: `copies the whole build context, and there is no .dockerignore (to exclude ${at.join(", ")})`,
          });
        continue;
      }
      const ig = ignore().add(text);
      const missing = shouldIgnore(ctx)
        .filter((sample) => !ig.ignores(sample[1]))
        .map(([name]) => name);
      if (missing.length)
        ctx.report({
          node: ins,
          message: `copies the whole build context; .dockerignore does not exclude ${missing.join(", ")}`,
        });
    }
  },
});
