import { located } from "../facts.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS517",
    slug: "instruction-casing",
    severity: "style",
    category: "maintainability",
    description:
      "Instruction keywords in mixed case (`Run`), or a file mixing upper- and lower-case keywords.",
    rationale:
      "Keywords are case-insensitive, but one casing throughout is what readers and tools expect; BuildKit warns on the mix.",
    fix: "Write every keyword in upper case (or every one in lower case).",
    buildkit: "ConsistentInstructionCasing",
    stages: "file",
    stagesNote: "Looks at the whole file; the majority casing is taken as intended.",
    bad: "FROM alpine:3.22\nrun echo hi",
    good: "FROM alpine:3.22\nRUN echo hi",
  },
  check(ctx) {
    const all = located(ctx.df).filter((l) => !l.onbuild);
    const upper = all.filter((l) => l.ins.keywordRaw === l.ins.keywordRaw.toUpperCase()).length;
    const lowerIsMajority = all.length - upper > upper;
    for (const { ins, stage } of all) {
      const k = ins.keywordRaw;
      const want = lowerIsMajority ? k.toLowerCase() : k.toUpperCase();
      if (k !== want)
        ctx.report({
          node: ins,
          stage,
          message: `"${k}" does not match the file's keyword casing ("${want}")`,
        });
    }
  },
});
