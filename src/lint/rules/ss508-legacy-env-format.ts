import { located } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS508",
    slug: "legacy-env-format",
    severity: "style",
    buildkit: "LegacyKeyValueFormat",
    category: "maintainability",
    description: "`ENV key value` (legacy, space-separated) instead of `ENV key=value`.",
    rationale:
      'The legacy form takes the rest of the line as the value, so `ENV A 1 B 2` sets A to "1 B 2"; BuildKit warns about it.',
    fix: "Write `ENV KEY=value`.",
    stages: "all",
    stagesNote: "Fires in every stage.",
    autofix: true,
    bad: "ENV PYTHONUNBUFFERED 1",
    good: "ENV PYTHONUNBUFFERED=1",
  },
  check(ctx) {
    for (const { ins, stage } of located(ctx.df)) {
      if (ins.keyword !== "ENV" && ins.keyword !== "LABEL") continue;
      for (const p of ins.pairs) {
        if (p.sep !== "") continue;
        const v = p.value;
        let text: string | undefined;
        if (/^\S+$/.test(v)) text = `${p.key}=${v}`;
        else if (!/["'\\`]/.test(v) && p.range.start.line === p.range.end.line) text = `${p.key}="${v}"`;
        ctx.report({
          node: { range: p.range },
          stage,
          message: `${ins.keyword} ${p.key} uses the legacy "key value" form`,
          ...(text
            ? {
                fix: {
                  title: "use key=value",
                  edits: [{ start: p.range.start.offset, end: p.range.end.offset, text }],
                },
              }
            : {}),
        });
      }
    }
  },
});
