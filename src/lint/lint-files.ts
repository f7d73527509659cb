/**
 * Lints Dockerfiles on disk: reads each file, its build context's
 * .dockerignore and the config file, and returns one report for the formats.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../errors.js";
import { VERSION } from "../version.js";
import { applyFixesInRounds, type FixOutcome } from "./autofix.js";
import { DEFAULT_CONFIG, findConfig, type LintConfig, loadConfigFile } from "./config.js";
import { type LintResult, lintText } from "./engine.js";
import { type Finding, PRAGMA_RULE_ID, type Severity, severityRank } from "./finding.js";
import type { LintReport } from "./formats/report.js";
import { findHadolintConfig, loadHadolintConfig } from "./hadolint-config.js";
import { readProject } from "./project.js";
import { RULES } from "./rules/index.js";
import { knownRuleId } from "./suppress.js";

export interface LintFilesOptions {
  /** Config file; default: the first of .slimstage.yaml/.slimstage.yml/slimstage.config.json in `cwd`. */
  configFile?: string;
  cwd?: string;
  /** Build context directory for .dockerignore; default: each Dockerfile's directory. */
  context?: string;
  target?: string;
  now?: Date;
  /** Overrides the config's failure threshold. */
  threshold?: Severity | "none";
  /** Extra rule ids to ignore. */
  ignore?: string[];
  /** Text of the file named `-` (standard input), read by the caller. */
  stdin?: string;
  /** Apply autofixes; with `dryRun` only compute them. */
  fix?: boolean;
  dryRun?: boolean;
}

export interface LintFilesResult {
  report: LintReport;
  config: LintConfig;
  configFile?: string;
  fixes: Array<{ file: string; outcome: FixOutcome }>;
  /** True when at least one file did not parse (exit 2). */
  parseFailed: boolean;
  /** True when a finding is at or above the threshold (exit 1). */
  failed: boolean;
}

export function lintFiles(files: readonly string[], opts: LintFilesOptions = {}): LintFilesResult {
  const cwd = opts.cwd ?? process.cwd();
  // A slimstage config wins; without one, a hadolint config (.hadolint.yaml here or in XDG_CONFIG_HOME).
  const configFile = opts.configFile
    ? resolve(cwd, opts.configFile)
    : (findConfig(cwd) ?? findHadolintConfig(cwd));
  if (opts.configFile && configFile !== undefined && !existsSync(configFile))
    throw new InputError(`config file not found: ${opts.configFile}`);
  for (const id of opts.ignore ?? [])
    if (!knownRuleId(RULES, id))
      throw new InputError(
        `--ignore ${id}: unknown rule id (see docs/rules.md; hadolint DL codes map through it)`,
      );
  const loaded = !configFile
    ? { config: DEFAULT_CONFIG, problems: [] }
    : /(^|[/\\])\.?hadolint\.ya?ml$/.test(configFile)
      ? loadHadolintConfig(configFile, RULES)
      : loadConfigFile(configFile, RULES);
  const config: LintConfig = {
    ...loaded.config,
    ignore: [...loaded.config.ignore, ...(opts.ignore ?? [])],
    ...(opts.threshold ? { failureThreshold: opts.threshold } : {}),
  };
  const results: LintResult[] = [];
  const fixes: LintFilesResult["fixes"] = [];
  for (const f of files) {
    const stdin = f === "-";
    const path = stdin ? resolve(cwd, "Dockerfile") : resolve(cwd, f);
    let source: string;
    if (stdin) {
      if (opts.stdin === undefined) throw new InputError("-: no standard input was given");
      if (opts.fix) throw new InputError("--fix cannot write back to standard input");
      source = opts.stdin;
    } else {
      try {
        source = readFileSync(path, "utf8");
      } catch (e) {
        throw new InputError(
          `cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
    }
    // Standard input has the current directory as its context, as `docker build -f - .` does.
    const project = stdin
      ? readProject(path, opts.context ? resolve(cwd, opts.context) : cwd)
      : readProject(path, opts.context ? resolve(cwd, opts.context) : undefined);
    // --target wins; otherwise the stages the compose file beside it builds.
    const [target, ...alsoBuilt] = opts.target ? [opts.target] : (project.compose?.targets ?? []);
    const lint = (text: string) =>
      lintText(text, {
        file: f,
        config,
        env: project.env,
        ...(target ? { target } : {}),
        ...(alsoBuilt.length ? { alsoBuilt } : {}),
        ...(opts.now ? { now: opts.now } : {}),
      });
    let result = lint(source);
    if (opts.fix && !result.parseFailed) {
      const outcome = applyFixesInRounds(result, lint);
      fixes.push({ file: f, outcome });
      if (!opts.dryRun && outcome.applied.length > 0) {
        writeFileSync(path, outcome.text);
        // Report what is left after the fixes.
        result = lint(outcome.text);
      }
    }
    results.push(result);
  }
  if (configFile && loaded.problems.length) {
    const text = readFileSync(configFile, "utf8");
    const findings: Finding[] = loaded.problems.map((p) => ({
      ruleId: PRAGMA_RULE_ID,
      slug: "unknown-rule-id",
      severity: "warning",
      category: "maintainability",
      message: `${p.key}: ${p.message}`,
      range: {
        file: p.file,
        start: { line: p.line, column: p.column },
        end: { line: p.line, column: p.column + 1 },
      },
      hint: "Use an id or slug from docs/rules.md.",
    }));
    results.unshift({ file: configFile, source: text, findings, suppressed: 0, parseFailed: false });
  }
  const threshold = config.failureThreshold;
  const failed =
    threshold !== "none" &&
    results.some((r) => r.findings.some((f) => severityRank(f.severity) <= severityRank(threshold)));
  return {
    report: { results, threshold, toolVersion: VERSION },
    config,
    ...(configFile ? { configFile } : {}),
    fixes,
    parseFailed: results.some((r) => r.parseFailed),
    failed,
  };
}
