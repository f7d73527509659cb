import { located } from "../facts.js";
import { defineRule } from "../rule.js";

/** An argument wholly wrapped in shell quotes: `'daemon off;'` inside a JSON string. */
function quoted(a: string): boolean {
  return a.length >= 2 && (a[0] === "'" || a[0] === '"') && a[a.length - 1] === a[0];
}

export default defineRule({
  meta: {
    id: "SS429",
    slug: "exec-form-quotes",
    severity: "warning",
    category: "correctness",
    description: "Shell quotes inside an exec-form (JSON) argument: `\"'daemon off;'\"`.",
    rationale:
      "The exec form runs no shell, so nothing removes the inner quotes: the program receives them as part of the argument (`'daemon off;'` is an unknown nginx directive, and the container exits).",
    fix: 'Drop the inner quotes: `CMD ["nginx", "-g", "daemon off;"]`.',
    stages: "all",
    stagesNote: "Fires on CMD, ENTRYPOINT, RUN and HEALTHCHECK in every stage.",
    autofix: true,
    bad: `CMD ["nginx", "-g", "'daemon off;'"]`,
    good: `CMD ["nginx", "-g", "daemon off;"]`,
  },
  check(ctx) {
    for (const { ins, stage } of located(ctx.df)) {
      const command =
        ins.keyword === "CMD" || ins.keyword === "ENTRYPOINT" || ins.keyword === "RUN"
          ? ins.command
          : ins.keyword === "HEALTHCHECK"
            ? ins.command
            : undefined;
      if (command?.form !== "json") continue;
      const bad = command.args.filter(quoted);
      if (!bad.length) continue;
      // The fix edits the JSON text: each quoted argument is written as "'x'" or "\"x\"".
      const text = ctx.source.slice(ins.range.start.offset, ins.range.end.offset);
      const edits = bad.flatMap((a) => {
        const lit = JSON.stringify(a);
        const at = text.indexOf(lit);
        return at < 0
          ? []
          : [
              {
                start: ins.range.start.offset + at,
                end: ins.range.start.offset + at + lit.length,
                text: JSON.stringify(a.slice(1, -1)),
              },
            ];
      });
      ctx.report({
        node: ins,
        stage,
        message: `exec-form argument ${bad.map((a) => JSON.stringify(a)).join(", ")} keeps its quotes: no shell removes them`,
        ...(edits.length === bad.length ? { fix: { title: "remove the inner quotes", edits } } : {}),
      });
    }
  },
});
