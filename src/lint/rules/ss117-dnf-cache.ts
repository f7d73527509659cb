import type { RunInstruction } from "../../dockerfile/model.js";
import { type Cmd, cacheMounted, commands, instructionsOf, pathReachesFinal, subcommand } from "../facts.js";
import { defineRule } from "../rule.js";

const DNF = new Set(["dnf", "microdnf"]);
const WRITES = new Set([
  "install",
  "in",
  "upgrade",
  "up",
  "upgrade-minimal",
  "up-min",
  "reinstall",
  "rei",
  "update",
]);

function cleansAfter(cmds: readonly Cmd[], i: number): boolean {
  const tool = cmds[i]?.name;
  if (tool === undefined) throw new Error(`internal: no command ${i}`);
  return cmds
    .slice(i + 1)
    .some(
      (c) =>
        (c.name === tool && subcommand(c.args) === "clean" && c.args.includes("all")) ||
        (c.name === "rm" && c.args.some((a) => /^\/var\/cache\/(yum|dnf|libdnf5)/.test(a))),
    );
}

function mounted(run: RunInstruction): boolean {
  return cacheMounted(run, (t) => /^\/var\/cache\/(dnf|libdnf5|yum)/.test(t));
}

export default defineRule({
  meta: {
    id: "SS117",
    slug: "dnf-cache",
    severity: "warning",
    category: "size",
    description: "`dnf` / `microdnf` install or upgrade without `dnf clean all` in the same RUN.",
    rationale:
      "dnf keeps repository metadata and downloaded RPMs in /var/cache; in the layer they are dead weight.",
    fix: "End the RUN with `&& dnf clean all` (or `rm -rf /var/cache/dnf /var/cache/libdnf5`), or use a cache mount.",
    hadolint: "DL3040",
    stages: "reaches-final",
    stagesNote:
      "Fires where /var/cache can reach the final image. `dnf clean all` must come from the same tool (dnf vs microdnf) after the install.",
    bad: "RUN dnf install -y httpd",
    good: "RUN dnf install -y httpd && dnf clean all",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      if (!pathReachesFinal(ctx, stage, "/var/cache/dnf") || mounted(ins)) continue;
      const cmds = commands(ins);
      cmds.forEach((c, i) => {
        if (!DNF.has(c.name) || !WRITES.has(subcommand(c.args) ?? "") || cleansAfter(cmds, i)) return;
        ctx.report({
          node: c.raw,
          stage,
          message: `${c.name} ${subcommand(c.args)} without \`${c.name} clean all\` leaves its cache in the layer`,
        });
      });
    }
  },
});
