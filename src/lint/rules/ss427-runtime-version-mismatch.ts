import { parseFromReference } from "../../dockerfile/image-ref.js";
import { releasesInImage } from "../eol.js";
import { baseImageOf, located, resolveFrom, unquote } from "../facts.js";
import { defineRule } from "../rule.js";

/** Installed packages that are bound to the interpreter version that installed them. */
const PACKAGE_DIRS = /(site-packages|dist-packages|venv|\.venv|\/\.local|node_modules)/;

function versionOf(image: string | undefined, product: "python" | "node"): string | undefined {
  if (!image || image.includes("$")) return undefined;
  const ref = parseFromReference(image);
  return releasesInImage(ref.repository, ref.tag).find((r) => r.product === product)?.cycle;
}

export default defineRule({
  meta: {
    id: "SS427",
    slug: "runtime-version-mismatch",
    severity: "warning",
    category: "correctness",
    description:
      "Packages installed by one Python or Node version (a venv, site-packages, node_modules) copied into a stage whose base runs another.",
    rationale:
      "A venv made by Python 3.11 points at python3.11 and holds extensions built for its ABI; under 3.12 the interpreter is missing and compiled modules do not import. Node's native addons are built for one Node ABI too.",
    fix: "Use the same version in both tags (`python:3.12-slim` for the builder and the runtime), ideally from one ARG.",
    stages: "reachable",
    stagesNote:
      "Fires on COPY --from between stages needed for the target whose base tags name different versions.",
    bad: "FROM python:3.11 AS build\nRUN python -m venv /venv\nFROM python:3.12-slim\nCOPY --from=build /venv /venv",
    good: "FROM python:3.12 AS build\nRUN python -m venv /venv\nFROM python:3.12-slim\nCOPY --from=build /venv /venv",
  },
  check(ctx) {
    for (const { ins, stage } of located(ctx.df)) {
      if (ins.keyword !== "COPY" || ins.from === undefined || stage < 0) continue;
      const sources = ins.sources.map(unquote);
      if (!sources.some((s) => PACKAGE_DIRS.test(s))) continue;
      const from = resolveFrom(ctx.df, ctx.graph, ins);
      if (from === undefined) continue;
      const src = baseImageOf(ctx.df, ctx.graph, from);
      const dst = baseImageOf(ctx.df, ctx.graph, stage);
      for (const product of ["python", "node"] as const) {
        const a = versionOf(src, product);
        const b = versionOf(dst, product);
        if (a && b && a !== b) {
          ctx.report({
            node: ins,
            stage,
            message: `packages installed by ${product === "python" ? "Python" : "Node.js"} ${a} (${src}) copied into a stage running ${b} (${dst})`,
          });
          break;
        }
      }
    }
  },
});
