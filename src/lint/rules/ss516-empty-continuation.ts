import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS516",
    slug: "empty-continuation",
    severity: "warning",
    category: "correctness",
    description: "An empty line inside a continued instruction.",
    rationale:
      "BuildKit skips empty lines after a `\\` today and says they will become an error: the file will stop building.",
    fix: "Remove the empty line, or end the instruction before it.",
    buildkit: "NoEmptyContinuation",
    stages: "file",
    stagesNote: "Looks at the file as the parser read it.",
    bad: "RUN apt-get update && \\\n\n    apt-get install -y curl",
    good: "RUN apt-get update && \\\n    apt-get install -y curl",
  },
  check(ctx) {
    for (const w of ctx.df.warnings)
      if (/empty continuation/i.test(w.message))
        ctx.report({ node: { range: w.range }, message: "empty continuation line" });
  },
});
