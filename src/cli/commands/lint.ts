import type { Command } from "commander";
import { InputError } from "../../errors.js";
import { EXIT } from "../exit-codes.js";
import { action, collect, examples } from "../runtime.js";

interface LintCmdOptions {
  format?: string;
  config?: string;
  threshold?: string;
  failureThreshold?: string;
  target?: string;
  context?: string;
  ignore?: string[];
  fix?: boolean;
  dryRun?: boolean;
  today?: string;
}

const THRESHOLDS = ["error", "warning", "info", "style", "none"] as const;

export function define(program: Command): void {
  program
    .command("lint")
    .description("Lint Dockerfiles for size, cache, security and correctness problems, stage-aware")
    .argument("[files...]", "Dockerfiles to lint (- reads standard input)", ["Dockerfile"])
    .option(
      "-f, --format <format>",
      "output format: tty, json, sarif, markdown, checkstyle, codeclimate, gitlab_codeclimate (default: tty, json with --json)",
    )
    .option(
      "-c, --config <file>",
      "config file (default: .slimstage.yaml, .slimstage.yml or slimstage.config.json here)",
    )
    .option(
      "-t, --threshold <severity>",
      "fail (exit 1) on findings at or above: error, warning, info, style, none (default: warning)",
    )
    .option("--failure-threshold <severity>", "alias of --threshold (hadolint's name)")
    .option(
      "--target <stage>",
      "build target stage (default: the compose file's build.target, else the last stage)",
    )
    .option(
      "--context <dir>",
      "build context for the .dockerignore check (default: the Dockerfile's directory)",
    )
    .option("--ignore <rule>", "ignore a rule id or slug (repeatable)", collect, [])
    .option("--fix", "apply the mechanical autofixes in place and print the diff")
    .option("--dry-run", "with --fix: print the diff, change nothing")
    .option("--today <date>", "judge end-of-life dates as of YYYY-MM-DD (default: today)")
    .addHelpText(
      "after",
      examples([
        ["slimstage lint", "lint ./Dockerfile; exit 1 on warnings or errors"],
        ["slimstage lint -f sarif docker/*.Dockerfile > lint.sarif", "SARIF 2.1.0 for code scanning"],
        [
          "slimstage lint -f gitlab_codeclimate Dockerfile > gl-code-quality.json",
          "GitLab's Code Quality report (codeclimate: the engine stream)",
        ],
        ["slimstage lint --fix --dry-run", "show the autofix diff without changing the file"],
        ["slimstage lint -f markdown --threshold error", "a PR comment; fail only on errors"],
      ]),
    )
    .action(
      action(async (rt, files: string[], opts: LintCmdOptions) => {
        const { lintFiles, formatReport, FORMATS } = await import("../../lint/public.js");
        const format = opts.format ?? (rt.json ? "json" : "tty");
        if (!(FORMATS as readonly string[]).includes(format))
          throw new InputError(`--format ${format}: expected one of ${FORMATS.join(", ")}`);
        if (opts.failureThreshold && !opts.threshold) opts.threshold = opts.failureThreshold;
        if (opts.threshold && !(THRESHOLDS as readonly string[]).includes(opts.threshold))
          throw new InputError(`--threshold ${opts.threshold}: expected one of ${THRESHOLDS.join(", ")}`);
        let now: Date | undefined;
        if (opts.context !== undefined) {
          const { statSync } = await import("node:fs");
          if (!statSync(opts.context, { throwIfNoEntry: false })?.isDirectory())
            throw new InputError(`--context ${opts.context}: not a directory`);
        }
        if (opts.today !== undefined) {
          now = new Date(`${opts.today}T12:00:00Z`);
          if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.today) || Number.isNaN(now.getTime()))
            throw new InputError(`--today ${opts.today}: expected YYYY-MM-DD`);
        }
        if (opts.dryRun && !opts.fix) throw new InputError("--dry-run only makes sense with --fix");
        // `lint -` reads the Dockerfile from standard input, as hadolint does.
        const stdin = files.includes("-") ? await readStdin() : undefined;
        const res = lintFiles(files, {
          ...(stdin !== undefined ? { stdin } : {}),
          ...(opts.config ? { configFile: opts.config } : {}),
          ...(opts.threshold ? { threshold: opts.threshold as (typeof THRESHOLDS)[number] } : {}),
          ...(opts.target ? { target: opts.target } : {}),
          ...(opts.context ? { context: opts.context } : {}),
          ...(opts.ignore?.length ? { ignore: opts.ignore } : {}),
          ...(now ? { now } : {}),
          ...(opts.fix ? { fix: true } : {}),
          ...(opts.dryRun ? { dryRun: true } : {}),
        });
        for (const { file, outcome } of res.fixes) {
          if (outcome.applied.length === 0) {
            rt.info(`${file}: nothing to fix automatically`);
            continue;
          }
          // The diff goes to stderr when stdout carries a machine format.
          const out = format === "tty" ? (t: string) => rt.print(t) : (t: string) => rt.info(t);
          out(outcome.diff);
          rt.info(
            `${file}: ${opts.dryRun ? "would apply" : "applied"} ${outcome.applied.length} fix(es)${outcome.skipped.length ? `, ${outcome.skipped.length} skipped (overlapping)` : ""}`,
          );
        }
        const text = formatReport(res.report, format as (typeof FORMATS)[number], { color: rt.color });
        process.stdout.write(text);
        if (res.parseFailed) return EXIT.usage;
        return res.failed ? EXIT.findings : EXIT.ok;
      }),
    );
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
