import { cacheMounted, commands, instructionsOf, pathReachesFinal, subcommand } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS120",
    slug: "zypper-cache",
    severity: "warning",
    category: "size",
    description: "`zypper install` without `zypper clean` in the same RUN.",
    rationale: "zypper keeps downloaded packages and metadata in /var/cache/zypp, in the layer.",
    fix: "End the RUN with `&& zypper clean -a`, or mount /var/cache/zypp as a cache.",
    hadolint: "DL3036",
    stages: "reaches-final",
    stagesNote: "Fires where /var/cache/zypp can reach the final image.",
    bad: "RUN zypper install -y httpd",
    good: "RUN zypper install -y httpd && zypper clean -a",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      if (!pathReachesFinal(ctx, stage, "/var/cache/zypp")) continue;
      if (cacheMounted(ins, (t) => /^\/var\/cache\/zypp/.test(t))) continue;
      const cmds = commands(ins);
      cmds.forEach((c, i) => {
        const sub = subcommand(c.args);
        if (c.name !== "zypper" || (sub !== "install" && sub !== "in")) return;
        const cleaned = cmds
          .slice(i + 1)
          .some((d) => d.name === "zypper" && ["clean", "cc"].includes(subcommand(d.args) ?? ""));
        if (!cleaned)
          ctx.report({
            node: c.raw,
            stage,
            message: "zypper install without `zypper clean` leaves its cache in the layer",
          });
      });
    }
  },
});
