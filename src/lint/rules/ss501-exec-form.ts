import type { Instruction } from "../../dockerfile/model.js";
import { located } from "../facts.js";
import type { Autofix } from "../finding.js";
import { defineRule } from "../rule.js";

const SIMPLE_WORD = /^[A-Za-z0-9_./:=@%+,-]+$/;

/** `CMD python app.py` -> `CMD ["python", "app.py"]` when the command is plain words (no shell syntax). */
function toExecForm(source: string, ins: Instruction, command: string): Autofix | undefined {
  if (ins.range.start.line !== ins.range.end.line || ins.keyword === "HEALTHCHECK" || ins.flags.length)
    return undefined;
  const words = command.trim().split(/\s+/);
  if (words.length === 0 || !words.every((w) => SIMPLE_WORD.test(w))) return undefined;
  const text = source.slice(ins.range.start.offset, ins.range.end.offset);
  const lead = /^(\s*\S+\s+)/.exec(text)?.[1];
  if (lead === undefined) return undefined;
  const start = ins.range.start.offset + lead.length;
  return {
    title: "use the exec (JSON) form",
    edits: [{ start, end: ins.range.end.offset, text: JSON.stringify(words).replace(/","/g, '", "') }],
  };
}

export default defineRule({
  meta: {
    id: "SS501",
    slug: "exec-form",
    severity: "warning",
    buildkit: "JSONArgsRecommended",
    category: "maintainability",
    description: "CMD or ENTRYPOINT in shell form (HEALTHCHECK is not judged: its shell form is idiomatic).",
    rationale:
      "The shell form runs the app as a child of /bin/sh -c: it is not PID 1, so SIGTERM from `docker stop` never reaches it and the container is killed after the timeout.",
    fix: 'Use the exec (JSON) form: `CMD ["python", "app.py"]`.',
    hadolint: "DL3025",
    differences: [
      "A shell-form HEALTHCHECK is not reported (DL3025Spec.hs:46): its command is not PID 1 and gets no signals to forward, and `curl -f ... || exit 1` needs a shell; BuildKit's JSONArgsRecommended leaves HEALTHCHECK alone too.",
    ],
    stages: "all",
    stagesNote: "Fires in every stage (a stage may become a target with --target).",
    autofix: true,
    bad: "CMD python app.py",
    good: 'CMD ["python", "app.py"]',
  },
  check(ctx) {
    for (const { ins, stage } of located(ctx.df)) {
      if (ins.keyword === "CMD" || ins.keyword === "ENTRYPOINT") {
        if (ins.command.form !== "shell") continue;
        const fix = toExecForm(ctx.source, ins, ins.command.command);
        const words = ins.command.command.trim().split(/\s+/).slice(0, 4);
        ctx.report({
          node: ins,
          stage,
          message: `${ins.keyword} in shell form: the process does not get signals`,
          // The hint names this instruction, in the exec form of its own words.
          hint: `Use the exec (JSON) form: \`${ins.keyword} ${JSON.stringify(words).replace(/","/g, '", "')}\`${fix ? "" : " (with any shell syntax moved into a script)"}.`,
          ...(fix ? { fix } : {}),
        });
      }
      // HEALTHCHECK is left alone: its command runs in its own process, not as PID 1, and the
      // shell form is what makes `curl -f ... || exit 1` work (BuildKit's JSONArgsRecommended skips it too).
    }
  },
});
