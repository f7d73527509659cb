import { basename, isReachable, unquote } from "../facts.js";
import { installsIn, pipArgs } from "../packages.js";
import { defineRule } from "../rule.js";

const MANIFESTS: Record<string, string[]> = {
  npm: ["package.json"],
  yarn: ["package.json"],
  pnpm: ["package.json"],
  poetry: ["pyproject.toml"],
};

/** Whether a COPY source names the manifest (or a glob that matches it). */
function names(source: string, manifest: string): boolean {
  const b = basename(source.replace(/\/+$/, ""));
  if (b === manifest) return true;
  if (!/[*?[]/.test(b)) return false;
  const re = new RegExp(
    `^${b
      .replace(/[.+^${}()|\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
  return re.test(manifest);
}

export default defineRule({
  meta: {
    id: "SS202",
    slug: "manifest-not-copied-first",
    severity: "warning",
    category: "cache",
    description:
      "Dependency install not separated from the source copy: the manifest arrives only inside a directory copy.",
    rationale:
      "When requirements.txt or package.json comes in with the rest of the sources (`COPY app/ /app/`), any source edit invalidates the install layer.",
    fix: "COPY the manifest (and lockfile) on its own, run the install, then copy the sources.",
    stages: "reachable",
    stagesNote: "Fires in every stage needed for the target. Whole-context copies (`COPY . .`) are SS201's.",
    bad: "COPY app/ /app/\nRUN pip install --no-cache-dir -r /app/requirements.txt",
    good: "COPY app/requirements.txt /app/\nRUN pip install --no-cache-dir -r /app/requirements.txt\nCOPY app/ /app/",
  },
  check(ctx) {
    for (const s of ctx.df.stages) {
      if (!isReachable(ctx.graph, s.index)) continue;
      const localCopies: Array<{ sources: string[]; line: number }> = [];
      for (const ins of s.instructions) {
        if ((ins.keyword === "COPY" || ins.keyword === "ADD") && !("from" in ins && ins.from !== undefined)) {
          localCopies.push({ sources: ins.sources.map(unquote), line: ins.range.start.line });
        }
        if (ins.keyword !== "RUN" || ins.mounts.some((m) => m.type === "bind")) continue;
        for (const inst of installsIn(ins)) {
          let manifests: string[] = [];
          if (inst.manager === "pip") {
            const args = pipArgs(inst.cmd);
            manifests = args
              .filter((_, i) => args[i - 1] === "-r" || args[i - 1] === "--requirement")
              .map((a) => basename(a));
          } else if (inst.packages.length === 0) manifests = MANIFESTS[inst.manager] ?? [];
          if (manifests.length === 0 || localCopies.length === 0) continue;
          // Whole-context copies are SS201's finding.
          if (localCopies.some((c) => c.sources.some((x) => x === "." || x === "./"))) continue;
          for (const m of manifests) {
            if (localCopies.some((c) => c.sources.some((x) => names(x, m)))) continue;
            const dirCopy = localCopies.find((c) =>
              c.sources.some((x) => !/\.[a-z0-9]+$/i.test(basename(x))),
            );
            if (!dirCopy) continue;
            ctx.report({
              node: inst.cmd.raw,
              stage: s.index,
              message: `${m} arrives only with the directory copy on line ${dirCopy.line}: every source edit re-runs this install`,
            });
          }
        }
      }
    }
  },
});
