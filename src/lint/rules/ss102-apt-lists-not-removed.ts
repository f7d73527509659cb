import type { RunInstruction } from "../../dockerfile/model.js";
import {
  type Cmd,
  cacheMounted,
  commands,
  gapBetween,
  instructionsOf,
  pathReachesFinal,
  subcommand,
} from "../facts.js";
import { appendAfter } from "../fixes.js";
import { defineRule } from "../rule.js";

const APT = new Set(["apt-get", "apt", "aptitude"]);

function mountsCover(run: RunInstruction): boolean {
  if (cacheMounted(run, (t) => t.replace(/\/+$/, "") === "/var/lib/apt/lists")) return true;
  return cacheMounted(run, (t) => t === "/var/lib/apt") && cacheMounted(run, (t) => t === "/var/cache/apt");
}

/** `rm -rf /var/lib/apt/lists...`, or `apt-get dist-clean` (apt >= 2.7, Debian trixie), which removes the lists too. */
function cleans(c: Cmd): boolean {
  if (APT.has(c.name) && subcommand(c.args) === "dist-clean") return true;
  return c.name === "rm" && c.args.some((a) => a.startsWith("/var/lib/apt/lists"));
}

export default defineRule({
  meta: {
    id: "SS102",
    slug: "apt-lists-not-removed",
    severity: "warning",
    category: "size",
    description: "`apt-get update` whose package lists are not removed in the same RUN.",
    rationale:
      "`apt-get update` downloads tens of megabytes of package lists into /var/lib/apt/lists. Removed in a later layer, they still ship in this one.",
    fix: "End the same RUN with `&& rm -rf /var/lib/apt/lists/*`, or mount /var/lib/apt/lists as a cache.",
    hadolint: "DL3009",
    stages: "reaches-final",
    stagesNote:
      "Fires where /var/lib/apt/lists can reach the final image: the target's FROM ancestry, or a stage whose lists directory is copied onward.",
    autofix: true,
    differences: [
      "ONBUILD triggers in a stage the target never uses do not run in this build, so slimstage is silent where hadolint reports them (DL3009Spec.hs:31 and DL3009Spec.hs:71, onbuild variants).",
    ],
    bad: "RUN apt-get update && apt-get install -y --no-install-recommends curl",
    good: "RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      if (!pathReachesFinal(ctx, stage, "/var/lib/apt/lists")) continue;
      if (mountsCover(ins)) continue;
      const cmds = commands(ins);
      const update = cmds.find((c) => APT.has(c.name) && subcommand(c.args) === "update");
      if (!update || cmds.some(cleans)) continue;
      // `update` is an apt command itself: the last one is at worst that one.
      const lastApt = [...cmds].reverse().find((c) => APT.has(c.name)) ?? update;
      const after = cmds[cmds.indexOf(lastApt) + 1];
      // Only a plain `&&` chain (or the end of the script) can take one more `&& rm`.
      const safe =
        ins.command.form === "shell" &&
        ins.heredocs.length === 0 &&
        (after === undefined || /^\s*(\\\s*\n\s*)*&&/.test(gapBetween(ctx.source, lastApt, after)));
      ctx.report({
        node: update.raw,
        stage,
        message:
          "apt-get update without `rm -rf /var/lib/apt/lists/*` in the same RUN leaves the package lists in the layer",
        ...(safe
          ? {
              fix: appendAfter(
                lastApt,
                " && rm -rf /var/lib/apt/lists/*",
                "remove apt lists in the same layer",
              ),
            }
          : {}),
      });
    }
  },
});
