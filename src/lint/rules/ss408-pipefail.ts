import { basename, type Cmd, commands, hasPipe, instructionsOf, pipelines, shellAt } from "../facts.js";
import { defineRule } from "../rule.js";

const POSIX = new Set(["sh", "bash", "zsh", "ash", "dash", "ksh", "mksh"]);

/**
 * Commands whose failure on the left of a pipe loses nothing: they print a
 * variable or a fact about the system (`echo "$SHA  file"`,
 * `dpkg --print-architecture`), or they explore and filter (`find -exec ldd`,
 * `awk`, `sort`): the official images' run-time-library pipelines, where a
 * failing `ldd` on a non-ELF file is expected and pipefail would break the build.
 */
const CANNOT_HIDE = new Set([
  "echo",
  "printf",
  "dpkg",
  "dpkg-architecture",
  "dpkg-query",
  "apt-mark",
  "uname",
  "nproc",
  "getconf",
  "find",
  "ldd",
  "scanelf",
  "awk",
  "sort",
  "uniq",
  "tr",
  "cut",
  "sed",
  "head",
  "tail",
  "grep",
  "xargs",
  "locale",
  "ls",
  "date",
  "id",
  "true",
  "basename",
  "dirname",
  "readlink",
]);

/** Right sides that fail on an empty or short input: the checksum verifiers (`sha256sum -c -`). */
function verifiesInput(c: Cmd): boolean {
  return (
    /^(sha\d*sum|md5sum|b2sum|cksum)$/.test(c.name) &&
    c.args.some((a) => /^(-c|--check|-[a-z]*c[a-z]*)$/.test(a))
  );
}

/** Whether a failure left of a `|` in this pipeline can go unnoticed. */
function canHideFailure(p: readonly Cmd[]): boolean {
  const last = p[p.length - 1];
  if (last === undefined) throw new Error("internal: an empty pipeline");
  if (verifiesInput(last)) return false;
  return p
    .slice(0, -1)
    .some((c) => !CANNOT_HIDE.has(c.name) && !(c.name === "apk" && c.args.includes("--print-arch")));
}

export default defineRule({
  meta: {
    id: "SS408",
    slug: "pipefail",
    severity: "warning",
    category: "correctness",
    description: "A RUN with a pipe and no `pipefail`: a failing download or command on the left is ignored.",
    rationale:
      "/bin/sh returns the exit status of the last command of a pipe: `curl ... | tar -x` succeeds even when curl failed, and the image is silently broken.",
    fix: 'Set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the RUN, or start the script with `set -o pipefail &&` (bash).',
    hadolint: "DL4006",
    stages: "all",
    stagesNote: "Fires in every stage; SHELL is followed through each stage's FROM ancestry.",
    bad: "RUN curl -fsSL https://example.com/x.tgz | tar -xz",
    good: 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/x.tgz | tar -xz',
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      if (ins.command.form !== "shell" || !hasPipe(ctx.source, ins)) continue;
      const risky = pipelines(ctx.source, ins).find(canHideFailure);
      if (!risky) continue;
      const shell = shellAt(ctx.df, ctx.graph, ins);
      const exe = basename(shell[0] ?? "");
      if (!POSIX.has(exe)) continue; // powershell, cmd: no pipefail
      if (exe !== "sh" && shell.some((a, i) => a === "pipefail" && /^-[a-z]*o$/.test(shell[i - 1] ?? "")))
        continue;
      const cmds = commands(ins);
      if (cmds.some((c) => c.name === "set" && c.args.includes("pipefail"))) continue;
      const into = risky[risky.length - 1];
      if (into === undefined) throw new Error("internal: an empty pipeline");
      ctx.report({
        node: ins,
        stage,
        message: `RUN pipes ${risky
          .slice(0, -1)
          .map((c) => c.name)
          .join(" | ")} into ${into.name} without pipefail: a failure on the left of | is ignored`,
      });
    }
  },
});
