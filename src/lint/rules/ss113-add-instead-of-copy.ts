import { instructionsOf, unquote } from "../facts.js";
import { defineRule } from "../rule.js";

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|gz|bz2|xz|lz|lzma|tar\.zst|zst)$/i;
const URL = /^(https?|git|ssh):\/\/|^git@/i;

export default defineRule({
  meta: {
    id: "SS113",
    slug: "add-instead-of-copy",
    severity: "warning",
    category: "size",
    description: "ADD of a local file or directory that is not an archive: COPY fits.",
    rationale:
      "ADD's extra behaviour (unpacking archives, fetching URLs) is a surprise waiting to happen; COPY does only what it says.",
    fix: "Use COPY for local files; use ADD only to unpack a local tar archive.",
    hadolint: "DL3020",
    stages: "all",
    stagesNote: "Fires in every stage: it is about clarity, not about what reaches the image.",
    autofix: true,
    bad: "ADD requirements.txt /app/",
    good: "COPY requirements.txt /app/",
  },
  check(ctx) {
    for (const { ins } of instructionsOf(ctx.df, "ADD")) {
      const sources = ins.sources.map(unquote);
      if (sources.some((s) => URL.test(s) || ARCHIVE.test(s) || s.startsWith("<<"))) continue;
      const at = ins.range.start.offset;
      const kw = ctx.source.slice(at, at + 3);
      ctx.report({
        node: ins,
        message: `ADD of ${sources.join(", ")}: COPY does the same without ADD's archive and URL magic`,
        ...(/^add$/i.test(kw)
          ? {
              fix: {
                title: "use COPY",
                edits: [{ start: at, end: at + 3, text: kw === "add" ? "copy" : "COPY" }],
              },
            }
          : {}),
      });
    }
  },
});
