import { baseImageOf, located, resolveFrom, unquote } from "../facts.js";
import { defineRule } from "../rule.js";

/** The C library an image is built on, from its name and tag; undefined when unknown. */
export function libcOf(image: string | undefined): "musl" | "glibc" | undefined {
  if (!image || image.includes("$")) return undefined;
  const lower = image.toLowerCase();
  if (/(^|\/)alpine(:|@|$)|[:-]alpine/.test(lower)) return "musl";
  if (/(^|\/)(debian|ubuntu)(:|@|$)|[:-](slim|bookworm|bullseye|buster|trixie|jammy|noble|focal)/.test(lower))
    return "glibc";
  if (/(^|\/)(node|python)(:\d[^-]*)?$/.test(lower)) return "glibc"; // the default variants are Debian
  return undefined;
}

export default defineRule({
  meta: {
    id: "SS423",
    slug: "node-modules-libc-mismatch",
    severity: "warning",
    category: "correctness",
    description:
      "node_modules installed on a glibc (Debian) stage copied into a musl (Alpine) stage, or the reverse.",
    rationale:
      "Native addons (sharp, bcrypt, better-sqlite3, esbuild's binaries) are compiled or downloaded for the C library of the stage that ran `npm ci`; in a stage with the other C library they fail to load at run time.",
    fix: "Install dependencies on the same base family as the runtime stage (both alpine or both Debian), or run `npm ci` in the runtime stage.",
    stages: "reachable",
    stagesNote:
      "Fires on COPY --from between stages needed for the target whose base images name different C libraries.",
    bad: "FROM node:22-bookworm-slim AS deps\nRUN npm ci\nFROM node:22-alpine\nCOPY --from=deps /app/node_modules ./node_modules",
    good: "FROM node:22-alpine AS deps\nRUN npm ci\nFROM node:22-alpine\nCOPY --from=deps /app/node_modules ./node_modules",
  },
  check(ctx) {
    for (const { ins, stage } of located(ctx.df)) {
      if (ins.keyword !== "COPY" || ins.from === undefined) continue;
      if (!ins.sources.some((s) => /node_modules/.test(unquote(s)))) continue;
      const from = resolveFrom(ctx.df, ctx.graph, ins);
      if (from === undefined || stage < 0) continue;
      const a = libcOf(baseImageOf(ctx.df, ctx.graph, from));
      const b = libcOf(baseImageOf(ctx.df, ctx.graph, stage));
      if (a && b && a !== b)
        ctx.report({
          node: ins,
          stage,
          message: `node_modules installed on ${a} (${baseImageOf(ctx.df, ctx.graph, from)}) copied into a ${b} stage (${baseImageOf(ctx.df, ctx.graph, stage)}): native addons will not load`,
        });
    }
  },
});
