import { commands, located, unquote } from "../facts.js";
import { defineRule } from "../rule.js";

/** Whether a chmod mode makes files writable by everyone (sticky directories like 1777 excepted). */
export function worldWritable(mode: string): boolean {
  if (/^[0-7]{3,4}$/.test(mode)) {
    if (mode.length === 4 && Number(mode[0]) & 1) return false; // sticky bit: /tmp-like
    return (Number(mode[mode.length - 1]) & 2) === 2;
  }
  return mode.split(",").some((part) => /^[ugoa]*[oa][ugoa]*[+=][rwxXst]*w/.test(part));
}

export default defineRule({
  meta: {
    id: "SS310",
    slug: "world-writable",
    severity: "warning",
    category: "security",
    description: "`chmod 777` (or any world-writable mode) on files in the image.",
    rationale:
      "World-writable files let any process in the container, whatever its user, replace code or config.",
    fix: "Give ownership to the app user (`COPY --chown=app:app`) and use 755 / 644.",
    stages: "reachable",
    stagesNote: "Fires in every stage needed for the target (modes survive COPY --from).",
    bad: "RUN chmod -R 777 /app",
    good: "COPY --chown=app:app . /app",
  },
  check(ctx) {
    for (const { ins, stage } of located(ctx.df)) {
      if ((ins.keyword === "COPY" || ins.keyword === "ADD") && ins.chmod && worldWritable(ins.chmod))
        ctx.report({
          node: ins,
          stage,
          message: `--chmod=${ins.chmod} makes the copied files world-writable`,
        });
      if (ins.keyword !== "RUN") continue;
      for (const c of commands(ins)) {
        if (c.name !== "chmod") continue;
        const [mode, ...paths] = c.args.filter((a) => !a.startsWith("-"));
        // A temporary directory (`chmod 777 "$tempDir"` for apt's source builds) is gone with the RUN.
        if (
          paths.length &&
          paths.every((p) => /^\$\{?(tmp|temp)/i.test(unquote(p)) || unquote(p).startsWith("/tmp/"))
        )
          continue;
        if (mode && worldWritable(mode))
          ctx.report({ node: c.raw, stage, message: `chmod ${mode} makes files world-writable` });
      }
    }
  },
});
