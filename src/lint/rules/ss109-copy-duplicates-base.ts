import { baseImageOf, instructionsOf, normalizePath, reachesFinal, resolveFrom, unquote } from "../facts.js";
import { defineRule } from "../rule.js";

const SITE = /\/(site|dist)-packages$/;
const ROOTS = new Set(["/", "/usr", "/usr/local", "/usr/local/lib", "/usr/lib"]);

function repoOf(image: string | undefined): string {
  if (!image) return "";
  const [noDigest = ""] = image.split("@");
  const lastSlash = noDigest.lastIndexOf("/");
  const colon = noDigest.indexOf(":", lastSlash + 1);
  return (colon >= 0 ? noDigest.slice(0, colon) : noDigest).split("/").pop()?.toLowerCase() ?? "";
}

export default defineRule({
  meta: {
    id: "SS109",
    slug: "copy-duplicates-base",
    severity: "warning",
    category: "size",
    description:
      "`COPY --from` of a whole site-packages or root filesystem that duplicates what the base image already has.",
    rationale:
      "A base image with Python already carries site-packages (pip, setuptools, wheel). Copying the builder's whole site-packages on top writes those files again in a new layer: the seed lab's \"multi-stage\" image came out 10% larger than its single-stage one.",
    fix: "Install into a virtual environment (`python -m venv /opt/venv`) or a prefix (`pip install --prefix=/install`) in the builder and copy only that.",
    stages: "reaches-final",
    stagesNote:
      "Fires on COPY --from instructions in the target's FROM ancestry; the duplication only costs where it lands in the final image.",
    bad: "COPY --from=builder /usr/local/lib/python3.12/site-packages /usr/local/lib/python3.12/site-packages",
    good: "COPY --from=builder /opt/venv /opt/venv",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "COPY")) {
      if (ins.from === undefined || !reachesFinal(ctx.graph, stage)) continue;
      const src = resolveFrom(ctx.df, ctx.graph, ins);
      const targetBase = stage >= 0 ? baseImageOf(ctx.df, ctx.graph, stage) : undefined;
      if (!targetBase || targetBase === "scratch") continue;
      const sourceBase = src !== undefined ? baseImageOf(ctx.df, ctx.graph, src) : ins.from;
      for (const raw of ins.sources) {
        const s = unquote(raw);
        if (s.includes("$")) continue;
        const p = normalizePath(s);
        if (SITE.test(p) && (repoOf(targetBase) === "python" || repoOf(targetBase) === repoOf(sourceBase))) {
          ctx.report({
            node: ins,
            message: `copies all of ${p}, duplicating the packages ${targetBase} already has there (pip, setuptools) in a new layer`,
          });
        } else if (ROOTS.has(p) && repoOf(sourceBase) === repoOf(targetBase)) {
          ctx.report({
            node: ins,
            message: `copies ${p} of a stage built on ${sourceBase}, duplicating what the base ${targetBase} already has`,
          });
        }
      }
    }
  },
});
