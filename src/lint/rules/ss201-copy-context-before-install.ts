import { isReachable, unquote } from "../facts.js";
import { installsIn } from "../packages.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS201",
    slug: "copy-context-before-install",
    severity: "warning",
    category: "cache",
    description: "`COPY . .` of the whole build context before the dependency install.",
    rationale:
      "Any edit to any source file changes the copied layer, so the dependency install after it re-runs on every build instead of coming from the cache.",
    fix: "Copy the dependency manifests first (requirements.txt, package.json + lockfile), install, then `COPY . .`.",
    stages: "reachable",
    stagesNote:
      "Fires in every stage needed for the target: builder stages are exactly where slow installs run.",
    bad: "COPY . .\nRUN pip install --no-cache-dir -r requirements.txt",
    good: "COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .",
  },
  check(ctx) {
    for (const s of ctx.df.stages) {
      if (!isReachable(ctx.graph, s.index)) continue;
      let wholeCopy: (typeof s.instructions)[number] | undefined;
      for (const ins of s.instructions) {
        if ((ins.keyword === "COPY" || ins.keyword === "ADD") && !("from" in ins && ins.from !== undefined)) {
          if (ins.sources.map(unquote).some((x) => x === "." || x === "./")) wholeCopy ??= ins;
        }
        if (ins.keyword === "RUN" && wholeCopy) {
          const inst = installsIn(ins).find(
            (i) => i.manager !== "apt" && i.manager !== "apk" && i.manager !== "dnf" && i.manager !== "yum",
          );
          if (inst && !(inst.packages.length > 0 && inst.manager !== "pip")) {
            ctx.report({
              node: wholeCopy,
              message: `the whole build context is copied before the ${inst.manager} install on line ${ins.range.start.line}: every source edit re-runs it`,
            });
            break;
          }
        }
      }
    }
  },
});
