import { located } from "../facts.js";
import { defineRule } from "../rule.js";

function references(value: string, name: string): boolean {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`\\$(\\{${n}([}:]|$)|${n}(?![A-Za-z0-9_]))`).test(value);
}

export default defineRule({
  meta: {
    id: "SS421",
    slug: "env-self-reference",
    severity: "error",
    category: "correctness",
    description: "An ENV that uses a variable set earlier in the same ENV instruction.",
    rationale:
      "All pairs of one ENV are expanded with the values from before the instruction: `ENV A=1 B=$A` sets B to the old A (often empty), not to 1.",
    fix: "Split it into two ENV instructions.",
    hadolint: "DL3044",
    stages: "all",
    stagesNote: "Fires in every stage.",
    bad: 'ENV APP=/srv/app CONF="$APP/conf"',
    good: 'ENV APP=/srv/app\nENV CONF="$APP/conf"',
  },
  check(ctx) {
    for (const { ins, stage } of located(ctx.df)) {
      if (ins.keyword !== "ENV") continue;
      ins.pairs.forEach((p, i) => {
        const earlier = ins.pairs.slice(0, i).map((q) => q.key);
        const hit = earlier.find((k) => references(p.value, k));
        if (hit)
          ctx.report({
            node: { range: p.range },
            stage,
            message: `${p.key} uses $${hit}, which this ENV sets: it gets the value from before the ENV`,
          });
      });
    }
  },
});
