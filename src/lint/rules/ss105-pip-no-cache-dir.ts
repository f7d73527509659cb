import { cacheMounted, commands, envBefore, instructionsOf, pathReachesFinal, subcommand } from "../facts.js";
import { insertAfterWord } from "../fixes.js";
import { isPip, pipArgs } from "../packages.js";
import { defineRule } from "../rule.js";

const TRUE = /^(1|on|yes|true)$/i;

export default defineRule({
  meta: {
    id: "SS105",
    slug: "pip-no-cache-dir",
    severity: "warning",
    category: "size",
    description: "`pip install` without `--no-cache-dir` and without a cache mount.",
    rationale:
      "pip keeps every downloaded wheel in ~/.cache/pip. In an image the cache is never reused, but it ships: often as large as the packages themselves.",
    fix: "Add `--no-cache-dir` (or `ENV PIP_NO_CACHE_DIR=1`), or use `RUN --mount=type=cache,target=/root/.cache/pip`.",
    hadolint: "DL3042",
    stages: "reaches-final",
    stagesNote:
      "Fires where ~/.cache/pip can reach the final image: the target's FROM ancestry, or a builder stage whose cache directory (or a parent of it, like /root) is copied onward. A pip cache in a builder stage whose files are not copied onward is not a finding.",
    autofix: true,
    bad: "RUN pip install -r requirements.txt",
    good: "RUN pip install --no-cache-dir -r requirements.txt",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      if (!pathReachesFinal(ctx, stage, "/root/.cache/pip")) continue;
      if (cacheMounted(ins, (t) => /\.cache(\/pip)?\/?$/.test(t))) continue;
      let envOff = TRUE.test(envBefore(ctx.df, ctx.graph, ins).PIP_NO_CACHE_DIR ?? "");
      for (const c of commands(ins)) {
        if (c.name === "export") {
          for (const a of c.args) {
            const value = /^PIP_NO_CACHE_DIR=(.*)$/.exec(a)?.[1];
            if (value !== undefined) envOff = TRUE.test(value);
          }
          continue;
        }
        if (!isPip(c) || subcommand(pipArgs(c)) !== "install") continue;
        const inline = c.raw.assigns.map((a) => /^PIP_NO_CACHE_DIR=(.*)$/.exec(a)).find(Boolean)?.[1];
        const off = inline !== undefined ? TRUE.test(inline.replace(/^["']|["']$/g, "")) : envOff;
        // pip (optparse) accepts any unambiguous prefix of a long option: `--no-cache` is `--no-cache-dir`.
        if (off || pipArgs(c).some((a) => /^--no-cache(-d(ir?)?)?(=|$)/.test(a))) continue;
        const fix = insertAfterWord(ctx.source, c, "install", " --no-cache-dir", "add --no-cache-dir");
        ctx.report({
          node: c.raw,
          stage,
          message: "pip install without --no-cache-dir keeps its download cache in the layer",
          ...(fix ? { fix } : {}),
        });
      }
    }
  },
});
