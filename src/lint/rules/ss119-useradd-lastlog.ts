import { commands, hasFlag, instructionsOf, reachesFinal } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS119",
    slug: "useradd-lastlog",
    severity: "warning",
    category: "size",
    description: "`useradd` with a large UID and without `-l` (`--no-log-init`).",
    rationale:
      "useradd reserves a record for the UID in /var/log/lastlog and faillog: sparse on disk, but written out in full in the layer. A UID of 123456789 makes the layer gigabytes large.",
    fix: "Add `-l` (`--no-log-init`) to useradd, or use a small UID.",
    hadolint: "DL3046",
    stages: "reaches-final",
    stagesNote: "Fires in the target's FROM ancestry, where the padded log files end up in the final image.",
    bad: "RUN useradd -u 123456 app",
    good: "RUN useradd -l -u 123456 app",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      if (!reachesFinal(ctx.graph, stage)) continue;
      for (const c of commands(ins)) {
        if (c.name !== "useradd" || hasFlag(c.args, ["--no-log-init"], ["l"])) continue;
        const i = c.args.findIndex((a) => a === "-u" || a === "--uid" || a.startsWith("--uid="));
        const flag = c.args[i]; // undefined when there is no uid flag (i < 0)
        if (flag === undefined) continue;
        const uid = flag.startsWith("--uid=") ? flag.slice(6) : c.args[i + 1];
        if (uid && /^\d{6,}$/.test(uid))
          ctx.report({
            node: c.raw,
            stage,
            message: `useradd -u ${uid} without -l writes a huge /var/log/lastlog into the layer`,
          });
      }
    }
  },
});
