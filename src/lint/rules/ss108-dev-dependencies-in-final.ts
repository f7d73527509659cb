import { hasFlag, instructionsOf, reachesFinal, varsBefore } from "../facts.js";
import { finalCommand, startedProcess } from "../final-command.js";
import { devDependenciesUsed, devServerOf, resolveScript } from "../node-scripts.js";
import { installsIn, PY_DEV_PACKAGES, pipArgs } from "../packages.js";
import { defineRule } from "../rule.js";

const DEV_REQ = /(^|\/)(requirements[-_.]?(dev|test|tests|ci|lint)|(dev|test)[-_]requirements)\.(txt|in)$/i;

export default defineRule({
  meta: {
    id: "SS108",
    slug: "dev-dependencies-in-final",
    severity: "warning",
    category: "size",
    description:
      "Test and development dependencies (pytest, linters, devDependencies) installed into the final image.",
    rationale:
      "Test runners, linters and type checkers are never used at run time: they add size and attack surface.",
    fix: "Install them in a test or builder stage; install production dependencies only (`npm ci --omit=dev`, a runtime requirements file) in the final stage.",
    stages: "reaches-final",
    stagesNote:
      "Fires only in the target's FROM ancestry; a test stage that is not the target's ancestor is the right place for them. For npm, yarn and pnpm it reads the build context's package.json first: silent when it declares no devDependencies, when NODE_ENV=production is in effect (ENV, or an ARG default passed to ENV), or when the final command needs a devDependency (`npm run dev` running nodemon, `ng serve`): there SS425 reports the development server instead.",
    bad: "RUN pip install --no-cache-dir -r requirements.txt pytest",
    good: "RUN npm ci --omit=dev",
  },
  check(ctx) {
    const manifest = ctx.env.packageJson;
    // What the app needs before speaking about its devDependencies: none declared, or a final
    // command (`npm run dev` -> nodemon, `ng serve`) that runs one, and the install is right.
    const noDevDeps = manifest ? Object.keys(manifest.devDependencies).length === 0 : false;
    const started = startedProcess(finalCommand(ctx)).words;
    const script = manifest ? (resolveScript(started, manifest) ?? started.join(" ")) : started.join(" ");
    const needsDev =
      (manifest ? devDependenciesUsed(script, manifest).length > 0 : false) ||
      devServerOf(started, manifest) !== undefined;
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      if (!reachesFinal(ctx.graph, stage)) continue;
      const nodeEnv = varsBefore(ctx.df, ctx.graph, ins).NODE_ENV;
      for (const inst of installsIn(ins)) {
        const c = inst.cmd;
        if (inst.manager === "pip") {
          const args = pipArgs(c);
          const dev = inst.packages
            .map((p) => {
              const [name = ""] = p.split(/[=<>~[ ]/);
              return name.toLowerCase();
            })
            .filter((p) => PY_DEV_PACKAGES.has(p));
          const reqs = args.filter(
            (a, i) => (args[i - 1] === "-r" || args[i - 1] === "--requirement") && DEV_REQ.test(a),
          );
          if (dev.length || reqs.length)
            ctx.report({
              node: c.raw,
              stage,
              message: `development dependencies (${[...dev, ...reqs].join(", ")}) installed into the final image`,
            });
        } else if (inst.manager === "npm" || inst.manager === "yarn" || inst.manager === "pnpm") {
          if (inst.packages.length > 0) continue; // explicit packages are not the devDependencies
          if (noDevDeps || needsDev) continue;
          if (nodeEnv === "production" || c.raw.assigns.some((a) => a === "NODE_ENV=production")) continue;
          const prodFlags = [
            "--omit=dev",
            "--only=production",
            "--only=prod",
            "--production",
            "--prod",
            "-P",
          ];
          if (hasFlag(c.args, prodFlags) || c.args.some((a, i) => a === "--omit" && c.args[i + 1] === "dev"))
            continue;
          ctx.report({
            node: c.raw,
            stage,
            message: `${inst.manager} install also installs devDependencies into the final image`,
          });
        } else if (inst.manager === "poetry") {
          if (hasFlag(c.args, ["--no-dev", "--only", "--without"])) continue;
          ctx.report({
            node: c.raw,
            stage,
            message: "poetry install also installs the dev dependency group into the final image",
          });
        }
      }
    }
  },
});
