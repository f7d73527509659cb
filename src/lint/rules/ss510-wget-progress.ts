import { commands, hasFlag, instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

/** Names of files that are always small: signatures, checksums, keys. */
const SMALL_DOWNLOAD = /(\.(asc|sig|sign|sha1|sha256|sha512|md5|gpg|pub|key)|SHA\d*SUMS[^/]*|KEYS)$/i;

export default defineRule({
  meta: {
    id: "SS510",
    slug: "wget-progress",
    severity: "info",
    category: "maintainability",
    description: "wget without a quiet or progress option floods the build log.",
    rationale: "wget's progress bar writes thousands of lines into non-interactive build logs.",
    fix: "Add `-q`, `-nv` or `--progress=dot:giga`.",
    hadolint: "DL3047",
    stages: "all",
    stagesNote: "Fires in every stage.",
    bad: "RUN wget https://example.com/x.tgz",
    good: "RUN wget -q https://example.com/x.tgz",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      for (const c of commands(ins)) {
        if (c.name !== "wget") continue;
        // Signatures, checksums and keys are a few hundred bytes: one line of progress at most.
        if (c.args.some((a) => SMALL_DOWNLOAD.test(a))) continue;
        if (
          hasFlag(
            c.args,
            ["--progress", "--quiet", "--no-verbose", "--output-file", "--append-output"],
            ["q", "o", "a"],
          ) ||
          c.args.includes("-nv")
        )
          continue;
        ctx.report({ node: c.raw, stage, message: "wget without -q/-nv/--progress floods the build log" });
      }
    }
  },
});
