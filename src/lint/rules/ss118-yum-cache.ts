import { commands, instructionsOf, pathReachesFinal, subcommand } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS118",
    slug: "yum-cache",
    severity: "warning",
    category: "size",
    description: "`yum install` without `yum clean all` in the same RUN.",
    rationale: "yum keeps repository metadata and packages in /var/cache/yum, in the layer.",
    fix: "End the RUN with `&& yum clean all` (or `rm -rf /var/cache/yum`).",
    hadolint: "DL3032",
    stages: "reaches-final",
    stagesNote: "Fires where /var/cache/yum can reach the final image.",
    bad: "RUN yum install -y httpd",
    good: "RUN yum install -y httpd && yum clean all",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      if (!pathReachesFinal(ctx, stage, "/var/cache/yum")) continue;
      const cmds = commands(ins);
      cmds.forEach((c, i) => {
        if (c.name !== "yum" || subcommand(c.args) !== "install") return;
        const cleaned = cmds
          .slice(i + 1)
          .some(
            (d) =>
              (d.name === "yum" && subcommand(d.args) === "clean" && d.args.includes("all")) ||
              (d.name === "rm" && d.args.some((a) => a.startsWith("/var/cache/yum"))),
          );
        if (!cleaned)
          ctx.report({
            node: c.raw,
            stage,
            message: "yum install without `yum clean all` leaves its cache in the layer",
          });
      });
    }
  },
});
