import { basename } from "../facts.js";
import { finalCommand, startedProcess } from "../final-command.js";
import { resolveScript } from "../node-scripts.js";
import { defineRule } from "../rule.js";

const RUNNERS = new Set(["npm", "yarn", "pnpm"]);
const SHELLS = new Set(["sh", "bash", "ash", "dash"]);

export default defineRule({
  meta: {
    id: "SS424",
    slug: "process-manager-parent",
    severity: "warning",
    category: "correctness",
    description:
      "The final command starts the app under npm, yarn, pnpm or `sh -c` instead of running it directly.",
    rationale:
      "npm and `sh -c` become PID 1 and do not forward SIGTERM to the app: `docker stop` waits its full timeout and kills it, with no graceful shutdown. npm also adds its own memory and start-up time.",
    fix: 'Run the program itself: `CMD ["node", "server.js"]`; in a shell wrapper, `exec` the app (`sh -c "exec python -m app"`).',
    stages: "final-stage",
    stagesNote: "Looks at the CMD and ENTRYPOINT in effect for the target stage.",
    autofix: true,
    bad: 'CMD ["npm", "start"]',
    good: 'CMD ["node", "server.js"]',
  },
  check(ctx) {
    const fc = finalCommand(ctx);
    const { words, node } = startedProcess(fc);
    const first = words[0];
    if (!node || first === undefined) return;
    const prog = basename(first);
    if (
      RUNNERS.has(prog) &&
      /^(start|run|run-script)$/.test(words.find((w, i) => i > 0 && !w.startsWith("-")) ?? "")
    ) {
      const script = ctx.env.packageJson ? resolveScript(words, ctx.env.packageJson) : undefined;
      const plain =
        script !== undefined && /^[A-Za-z0-9_./:=@%+,-]+( [A-Za-z0-9_./:=@%+,-]+)*$/.test(script.trim())
          ? script
          : undefined;
      const ins = fc.cmd && !fc.entrypoint ? fc.cmd : undefined;
      ctx.report({
        node,
        message: `${words.slice(0, 3).join(" ")} runs the app as a child of ${prog}, which does not forward SIGTERM`,
        ...(plain !== undefined &&
        ins &&
        ins.command.form === "json" &&
        ins.range.start.line === ins.range.end.line
          ? {
              hint: `Run the script's command directly: CMD ${JSON.stringify(plain.trim().split(/\s+/))}.`,
              fix: {
                title: "run the package.json script's command directly",
                edits: [
                  {
                    start:
                      ins.range.start.offset +
                      (ctx.source.slice(ins.range.start.offset).match(/^\s*\S+\s+/)?.[0].length ?? 4),
                    end: ins.range.end.offset,
                    text: JSON.stringify(plain.trim().split(/\s+/)).replace(/","/g, '", "'),
                  },
                ],
              },
            }
          : {}),
      });
      return;
    }
    if (SHELLS.has(prog) && words[1] === "-c" && words[2] !== undefined) {
      const inner = words[2].trim();
      // `sh -c "exec app"` replaces the shell; a script of several commands keeps it as PID 1.
      if (/^exec\s/.test(inner)) return;
      ctx.report({
        node,
        message: `${prog} -c "${inner.length > 40 ? `${inner.slice(0, 40)}…` : inner}" keeps the shell as PID 1, which does not forward SIGTERM`,
        hint: `Start the app with exec: ${prog} -c "exec ${inner}".`,
      });
    }
  },
});
