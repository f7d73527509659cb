import { commands } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS506",
    slug: "wget-and-curl",
    severity: "info",
    category: "maintainability",
    description: "Both wget and curl used in one stage.",
    rationale: "Two download tools do the same job; each one installed is size and attack surface.",
    fix: "Pick one (curl or wget) for the whole stage.",
    hadolint: "DL4001",
    stages: "all",
    stagesNote:
      "Counts per stage: the second tool is reported on each RUN that uses it after the other appeared.",
    bad: "RUN wget -q https://a\nRUN curl -fsS https://b",
    good: "RUN curl -fsS https://a && curl -fsS https://b",
  },
  check(ctx) {
    const groups = ctx.df.stages.length ? ctx.df.stages.map((s) => s.instructions) : [ctx.df.instructions];
    for (const list of groups) {
      const seen = new Set<string>();
      for (const ins of list) {
        if (ins.keyword !== "RUN") continue;
        const tools = new Set(
          commands(ins)
            .map((c) => c.name)
            .filter((n) => n === "wget" || n === "curl"),
        );
        for (const t of tools) seen.add(t);
        if (tools.size > 0 && seen.size === 2)
          ctx.report({ node: ins, message: "both wget and curl are used in this stage" });
      }
    }
  },
});
