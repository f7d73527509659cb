import { instructionsOf, isReachable, unquote } from "../facts.js";
import { defineRule } from "../rule.js";

const URL = /^https?:\/\//i;

export default defineRule({
  meta: {
    id: "SS114",
    slug: "add-remote",
    severity: "warning",
    category: "size",
    description: "ADD of a URL: the download stays in its own layer.",
    rationale:
      "A file fetched with ADD is written to a layer of its own; an archive unpacked or a file deleted in a later RUN still ships in that layer, and without `--checksum` the content is not verified.",
    fix: "Download, verify, unpack and delete in one RUN (`curl -fsSL ... | tar -xz`), or fetch in a builder stage and copy the result.",
    stages: "reachable",
    stagesNote:
      "Fires in every stage needed for the target; in a builder stage the download still costs build time and cache.",
    bad: "ADD https://example.com/tool.tar.gz /tmp/",
    good: "RUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "ADD")) {
      if (!isReachable(ctx.graph, stage)) continue;
      const urls = ins.sources.map(unquote).filter((s) => URL.test(s));
      if (urls.length === 0) continue;
      ctx.report({
        node: ins,
        message: `ADD fetches ${urls.join(", ")} into a layer of its own${ins.checksum ? "" : " without --checksum"}`,
      });
    }
  },
});
