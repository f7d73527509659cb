import { ancestry, commands, hasFlag, varsBefore } from "../facts.js";
import { devDependenciesUsed, resolveScript } from "../node-scripts.js";
import { installOf } from "../packages.js";
import { defineRule } from "../rule.js";

const PROD_FLAGS = ["--omit=dev", "--only=production", "--only=prod", "--production", "--prod"];

export default defineRule({
  meta: {
    id: "SS422",
    slug: "build-needs-dev-dependencies",
    severity: "error",
    category: "correctness",
    description:
      "A build step (`npm run build`) that needs devDependencies runs after a production-only install in the same stage.",
    rationale:
      "`npm ci --omit=dev` (or NODE_ENV=production) leaves out the devDependencies; a build script such as `nest build` or `tsc` then finds no compiler and the image cannot build.",
    fix: "Install everything in a builder stage, build there, then `npm prune --omit=dev` (or install production dependencies in the runtime stage) and copy the output.",
    stages: "reachable",
    stagesNote:
      "Fires in every stage needed for the target, following the stage's FROM ancestry; needs the build context's package.json to know which scripts use which devDependencies.",
    bad: "RUN npm ci --omit=dev\nCOPY . .\nRUN npm run build   # build: nest build, @nestjs/cli is a devDependency",
    good: "RUN npm ci\nCOPY . .\nRUN npm run build && npm prune --omit=dev",
  },
  check(ctx) {
    const manifest = ctx.env.packageJson;
    if (!manifest) return;
    for (const s of ctx.df.stages) {
      if (!(ctx.graph.stages[s.index]?.reachable ?? true)) continue;
      let prodOnly: string | undefined;
      for (const st of ancestry(ctx.df, ctx.graph, s.index).reverse()) {
        for (const ins of st.instructions) {
          if (ins.keyword !== "RUN") continue;
          const nodeEnv = varsBefore(ctx.df, ctx.graph, ins).NODE_ENV;
          for (const c of commands(ins)) {
            const inst = installOf(c);
            if (inst && (inst.manager === "npm" || inst.manager === "yarn" || inst.manager === "pnpm")) {
              if (inst.packages.length) continue;
              const prod =
                hasFlag(c.args, PROD_FLAGS) ||
                c.args.some((a, i) => a === "--omit" && c.args[i + 1] === "dev") ||
                nodeEnv === "production";
              prodOnly = prod ? `line ${c.raw.range.start.line}` : undefined;
              continue;
            }
            if (prodOnly === undefined || st.index !== s.index) continue;
            const script = resolveScript([c.name, ...c.args], manifest);
            if (!script) continue;
            const dev = devDependenciesUsed(script, manifest);
            if (dev.length)
              ctx.report({
                node: c.raw,
                stage: s.index,
                message: `"${script}" needs the devDependencies ${dev.join(", ")}, but the install on ${prodOnly} left them out`,
              });
          }
        }
      }
    }
  },
});
