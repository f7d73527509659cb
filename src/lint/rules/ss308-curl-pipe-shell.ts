import { commands, instructionsOf, pipesInto } from "../facts.js";
import { defineRule } from "../rule.js";

const FETCH = new Set(["curl", "wget"]);
const SHELLS = new Set([
  "sh",
  "bash",
  "zsh",
  "dash",
  "ash",
  "ksh",
  "python",
  "python3",
  "perl",
  "ruby",
  "node",
]);

export default defineRule({
  meta: {
    id: "SS308",
    slug: "curl-pipe-shell",
    severity: "warning",
    category: "security",
    description: "A download piped straight into a shell (`curl ... | sh`).",
    rationale:
      "The script runs unverified: whatever the server (or anyone in between) sends is executed as root in the build.",
    fix: "Download to a file, verify its checksum or signature, then run it; or use a package.",
    stages: "all",
    stagesNote: "Fires in every stage: builder stages run the downloaded code just the same.",
    bad: "RUN curl -fsSL https://example.com/install.sh | sh",
    good: 'RUN curl -fsSLo install.sh https://example.com/install.sh && echo "<sha256>  install.sh" | sha256sum -c && sh install.sh',
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      const cmds = commands(ins);
      for (let i = 0; i < cmds.length; i++) {
        const a = cmds[i];
        if (a === undefined || !FETCH.has(a.name)) continue;
        let prev = a;
        for (let j = i + 1; j < cmds.length; j++) {
          const b = cmds[j];
          if (b === undefined || !pipesInto(ctx.source, prev, b)) break;
          prev = b;
          if (SHELLS.has(b.name) && !b.args.some((x) => x === "-n")) {
            ctx.report({
              node: a.raw,
              stage,
              message: `${a.name} output is piped into ${b.name} and executed unverified`,
            });
            break;
          }
        }
      }
    }
  },
});
