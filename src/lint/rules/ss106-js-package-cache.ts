import type { RunInstruction } from "../../dockerfile/model.js";
import { type Cmd, commands, hasFlag, instructionsOf, pathReachesFinal, subcommand } from "../facts.js";
import { installOf } from "../packages.js";
import { defineRule } from "../rule.js";

function cacheMounted(run: RunInstruction, re: RegExp): boolean {
  return run.mounts.some((m) => (m.type === "cache" || m.type === "tmpfs") && re.test(m.target ?? ""));
}

/** Whether a later command in the same RUN cleans the manager's cache. */
function cleanedAfter(cmds: readonly Cmd[], from: number, manager: string): boolean {
  return (
    cmds.slice(from + 1).some((c) => {
      const sub = subcommand(c.args);
      if (manager === "yarn") return c.name === "yarn" && sub === "cache" && c.args.includes("clean");
      // `npm cache clear` is npm's alias of `npm cache clean`.
      if (manager === "npm")
        return c.name === "npm" && sub === "cache" && (c.args.includes("clean") || c.args.includes("clear"));
      if (manager === "pnpm") return c.name === "pnpm" && sub === "store" && c.args.includes("prune");
      return false;
    }) ||
    cmds
      .slice(from + 1)
      .some(
        (c) =>
          c.name === "rm" &&
          c.args.some((a) => /(\.npm|\.cache\/yarn|\.yarn\/cache|pnpm-store|\.local\/share\/pnpm)/.test(a)),
      )
  );
}

export default defineRule({
  meta: {
    id: "SS106",
    slug: "js-package-cache",
    severity: "warning",
    category: "size",
    description: "npm, yarn or pnpm install that leaves the package manager's cache in the layer.",
    rationale:
      "npm keeps every tarball in ~/.npm/_cacache, yarn in ~/.cache/yarn (or .yarn/cache), pnpm in its store. None of it is used at run time.",
    fix: "Clean the cache in the same RUN (`yarn cache clean`, `npm cache clean --force`, `pnpm store prune`) or use a cache mount.",
    hadolint: "DL3060",
    stages: "reaches-final",
    stagesNote:
      "Fires where the cache directory can reach the final image; a builder stage whose node_modules alone is copied onward is not a finding.",
    differences: [
      "hadolint's DL3060 covers yarn only; slimstage also reports npm and pnpm caches (no hadolint row covers them).",
      "ONBUILD triggers in a stage the target never uses do not run in this build, so slimstage is silent where hadolint reports them (DL3060Spec.hs:96, onbuild variant).",
    ],
    bad: "RUN yarn install --frozen-lockfile",
    good: "RUN yarn install --frozen-lockfile && yarn cache clean",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      const cmds = commands(ins);
      cmds.forEach((c, i) => {
        const inst = installOf(c);
        if (!inst || (inst.manager !== "yarn" && inst.manager !== "npm" && inst.manager !== "pnpm")) return;
        if (inst.manager === "yarn" && subcommand(c.args) === undefined && c.args.length > 0) return;
        const cacheDir =
          inst.manager === "yarn"
            ? "/root/.cache/yarn"
            : inst.manager === "npm"
              ? "/root/.npm"
              : "/root/.local/share/pnpm";
        if (!pathReachesFinal(ctx, stage, cacheDir)) return;
        const re =
          inst.manager === "yarn" ? /(\.cache\/yarn|\.yarn)/ : inst.manager === "npm" ? /\.npm/ : /pnpm/;
        if (cacheMounted(ins, re)) return;
        if (inst.manager === "npm" && hasFlag(c.args, ["--cache"])) return;
        if (cleanedAfter(cmds, i, inst.manager)) return;
        ctx.report({
          node: c.raw,
          stage,
          // The command as written (`npm ci`, `yarn`, `pnpm add`): the finding names what the line runs.
          message: `${[c.name, subcommand(c.args)].filter(Boolean).join(" ")} leaves the ${inst.manager} cache in the layer`,
        });
      });
    }
  },
});
