/**
 * The lint engine: parse once, build the stage graph once, run every rule,
 * then apply pragmas, config (ignore, severity overrides) and sort. Rules
 * never see suppression or severity overrides.
 */
import type {
  Dockerfile,
  Instruction,
  Range as ModelRange,
  StageGraph,
  StageInfo,
} from "../dockerfile/model.js";
import { parseDockerfile } from "../dockerfile/parser.js";
import { buildStageGraph } from "../dockerfile/stage-graph.js";
import { InputError, isSlimstageError, LimitError } from "../errors.js";
import { DEFAULT_CONFIG, type LintConfig } from "./config.js";
import {
  BUDGET_RULE_ID,
  type Finding,
  PARSE_RULE_ID,
  PRAGMA_RULE_ID,
  type Range,
  severityRank,
} from "./finding.js";
import type { LintEnvironment, Report, Rule, RuleContext } from "./rule.js";
import { RULES } from "./rules/index.js";
import { isSuppressed, readPragmas, resolveRuleIds } from "./suppress.js";

export interface LintOptions {
  /** Name shown in findings. */
  file?: string;
  config?: LintConfig;
  env?: LintEnvironment;
  /** Defaults to the registry. */
  rules?: readonly Rule[];
  /** Build target stage (default: the last). */
  target?: string;
  /**
   * Other stages that are built too (more compose services on the same
   * Dockerfile): stages they need count as used, but final-stage rules judge
   * `target` only.
   */
  alsoBuilt?: readonly string[];
  /** The clock for end-of-life checks (default: config eol.today, else now). */
  now?: Date;
  /** Per-file budget for the rules (default LINT_BUDGET). */
  budget?: Partial<LintBudget>;
}

/**
 * Bounds on rule work per file, so that any file is linted in bounded time
 * and memory: past `ms`, the rules not yet run are skipped and a rule still
 * reporting is stopped at its next report; past `reportsPerRule`, a rule is
 * stopped. Either way an SS002 finding says which rules did not finish.
 */
export interface LintBudget {
  ms: number;
  reportsPerRule: number;
}

export const LINT_BUDGET: LintBudget = { ms: 30_000, reportsPerRule: 10_000 };

/** Thrown from report() to stop a rule that is over the budget; caught by the engine. */
class OverBudget extends Error {}

export interface LintResult {
  file: string;
  source: string;
  findings: Finding[];
  /** Findings silenced by pragmas or config. */
  suppressed: number;
  /** True when the file did not parse: `findings` then holds the one parse finding. */
  parseFailed: boolean;
  /** The parsed file, for autofix. */
  dockerfile?: Dockerfile;
}

export function lintText(source: string, opts: LintOptions = {}): LintResult {
  const file = opts.file ?? "Dockerfile";
  const rules = opts.rules ?? RULES;
  const config = opts.config ?? DEFAULT_CONFIG;
  let df: Dockerfile;
  try {
    df = parseDockerfile(source, { file, shell: true });
  } catch (e) {
    return { file, source, findings: [parseFinding(file, e)], suppressed: 0, parseFailed: true };
  }
  if (opts.target !== undefined && !hasStage(df, opts.target)) {
    const names = df.stages.map((s) => s.name).filter(Boolean);
    throw new InputError(
      `--target ${opts.target}: no such stage${names.length ? ` (stages: ${names.join(", ")})` : ""}`,
    );
  }
  let graph: StageGraph;
  try {
    graph = stageGraph(df, opts.target);
    for (const other of opts.alsoBuilt ?? []) {
      if (!hasStage(df, other)) continue;
      for (const info of stageGraph(df, other).stages) {
        const stage = graph.stages[info.index];
        if (info.reachable && stage) stage.reachable = true;
      }
    }
  } catch (e) {
    // Over a bound on expansion: reported like a syntax error, nothing else is checked.
    return { file, source, findings: [parseFinding(file, e)], suppressed: 0, parseFailed: true };
  }
  const now = opts.now ?? (config.eol.today ? new Date(`${config.eol.today}T12:00:00Z`) : new Date());
  const raw: Array<{ rule: Rule; report: Report }> = [];
  const budget: LintBudget = { ...LINT_BUDGET, ...opts.budget };
  const started = Date.now();
  const unfinished: string[] = [];
  let reports = 0;
  // One context for all rules; `current` says whose reports these are.
  let current: Rule | undefined;
  const ctx: RuleContext = {
    df,
    source,
    file,
    graph,
    env: opts.env ?? {},
    policy: { trustedRegistries: config.trustedRegistries, now, eolWarnDays: config.eol.warnDays },
    report: (report) => {
      if (++reports > budget.reportsPerRule || Date.now() - started > budget.ms) throw new OverBudget();
      if (current === undefined) throw new Error("internal: a lint report before any rule ran");
      raw.push({ rule: current, report });
    },
  };
  for (const rule of rules) {
    current = rule;
    reports = 0;
    if (Date.now() - started > budget.ms) {
      unfinished.push(rule.meta.id);
      continue;
    }
    try {
      rule.check(ctx);
    } catch (e) {
      if (e instanceof OverBudget) {
        unfinished.push(rule.meta.id);
        continue;
      }
      // A rule bug must not hide the other rules' findings; it shows up as a finding of its own.
      raw.push({
        rule,
        report: {
          node: df.instructions[0] ?? { range: df.range },
          message: `rule crashed: ${(e as Error).message}`,
        },
      });
    }
  }

  const ignored = new Set(config.ignore.flatMap((id) => resolveRuleIds(rules, id)));
  const overrides = new Map<string, string>();
  for (const [id, sev] of Object.entries(config.severity))
    for (const ruleId of resolveRuleIds(rules, id)) overrides.set(ruleId, sev);
  const pragmas = readPragmas(df, rules);
  const findings: Finding[] = [];
  let suppressed = 0;
  const seen = new Set<string>();
  for (const { rule, report } of raw) {
    const m = rule.meta;
    const range = toRange(file, report.node.range);
    const key = `${m.id}:${range.start.line}:${range.start.column}:${report.message}`;
    if (seen.has(key)) continue; // the same fact reported twice (e.g. ONBUILD) counts once
    seen.add(key);
    const override = overrides.get(m.id);
    if (ignored.has(m.id) || override === "off" || isSuppressed(pragmas, m.id, range.start.line)) {
      suppressed++;
      continue;
    }
    const stageIdx =
      report.stage ?? ("keyword" in report.node ? (report.node as Instruction).stage : undefined);
    const stage = stageIdx !== undefined && stageIdx >= 0 ? stageLabel(graph, stageIdx) : undefined;
    findings.push({
      ruleId: m.id,
      slug: m.slug,
      severity: (override as Finding["severity"] | undefined) ?? m.severity,
      category: m.category,
      message: report.message,
      range,
      ...(stage !== undefined ? { stage } : {}),
      hint: report.hint ?? m.fix,
      ...(report.fix ? { fix: report.fix } : {}),
      ...(m.hadolint ? { hadolint: m.hadolint } : {}),
    });
  }
  for (const p of pragmas) {
    for (const id of p.unknown) {
      findings.push({
        ruleId: PRAGMA_RULE_ID,
        slug: "unknown-rule-id",
        severity: "warning",
        category: "maintainability",
        message: `${p.tool} pragma names an unknown rule id "${id}"`,
        range: toRange(file, p.range),
        hint: "Use an id or slug from docs/rules.md (slimstage) or a hadolint DL code.",
      });
    }
  }
  if (unfinished.length > 0) {
    findings.push({
      ruleId: BUDGET_RULE_ID,
      slug: "lint-budget-exceeded",
      severity: "error",
      category: "correctness",
      message: `the file used up its lint budget (${budget.ms} ms, ${budget.reportsPerRule} reports per rule): ${unfinished.join(", ")} did not finish`,
      range: toRange(file, df.range),
      hint: "split the file, or lint it with a larger budget (library option `budget`)",
    });
  }
  findings.sort(compareFindings);
  return { file, source, findings, suppressed, parseFailed: false, dockerfile: df };
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.column - b.range.start.column ||
    severityRank(a.severity) - severityRank(b.severity) ||
    compareRuleIds(a.ruleId, b.ruleId)
  );
}

const PLAIN_ID = /^[A-Z0-9]+$/;

/**
 * localeCompare's order, without its cost where it cannot differ: the first
 * localeCompare of a process sets up ICU's collator, about 10 ms of CPU, a
 * thirtieth of what `slimstage lint FILE` may spend. For ids of capitals and
 * digits only (every built-in id: SS101...) the collator's order is the code
 * unit order (digits before letters, a prefix first), so the sort is the same.
 */
function compareRuleIds(a: string, b: string): number {
  if (PLAIN_ID.test(a) && PLAIN_ID.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return a.localeCompare(b);
}

function toRange(file: string, r: ModelRange): Range {
  return {
    file,
    start: { line: r.start.line, column: r.start.column },
    end: { line: r.end.line, column: r.end.column },
  };
}

function hasStage(df: Dockerfile, target: string): boolean {
  if (/^\d+$/.test(target)) return Number(target) < df.stages.length;
  return df.stages.some((s) => s.name?.toLowerCase() === target.toLowerCase());
}

function stageLabel(graph: StageGraph, i: number): string {
  return graph.stages[i]?.name ?? String(i);
}

function parseFinding(file: string, e: unknown): Finding {
  const loc = isSlimstageError(e) ? e.location : undefined;
  const line = loc?.line ?? 1;
  const column = loc?.column ?? 1;
  return {
    ruleId: PARSE_RULE_ID,
    slug: "parse-error",
    severity: "error",
    category: "correctness",
    message: isSlimstageError(e)
      ? e.message
      : `the Dockerfile could not be parsed: ${String((e as Error)?.message ?? e)}`,
    range: {
      file,
      start: { line, column },
      end: { line: loc?.endLine ?? line, column: loc?.endColumn ?? column + 1 },
    },
    hint: (isSlimstageError(e) ? e.hint : undefined) ?? "Fix the syntax error; nothing else was checked.",
  };
}

/**
 * The parser's stage graph; when it refuses the file (an unknown --target, a
 * cycle), a conservative graph in which every stage is reachable and the
 * last stage's FROM ancestry reaches the final image, so rules still run.
 */
function stageGraph(df: Dockerfile, target?: string): StageGraph {
  try {
    // Fragments without FROM (hadolint's cases) have no graph; skip the throw.
    if (df.stages.length > 0) return buildStageGraph(df, target === undefined ? {} : { target });
  } catch (e) {
    if (e instanceof LimitError) throw e;
  }
  {
    const byName: Record<string, number> = {};
    for (const s of df.stages) if (s.name) byName[s.name.toLowerCase()] ??= s.index;
    const last = df.stages.length - 1;
    const stages: StageInfo[] = df.stages.map((s) => {
      const baseIdx = byName[s.from.image.toLowerCase()];
      return {
        index: s.index,
        ...(s.name ? { name: s.name } : {}),
        base: baseIdx !== undefined && baseIdx < s.index ? { stage: baseIdx } : { image: s.from.image },
        deps: [],
        externalImages: [],
        reachable: true,
        reachesFinalImage: false,
        contributesFiles: false,
      };
    });
    let i: number | undefined = last;
    const seen = new Set<number>();
    while (i !== undefined && i >= 0 && !seen.has(i)) {
      seen.add(i);
      const info: StageInfo | undefined = stages[i];
      if (!info) break;
      info.reachesFinalImage = true;
      i = "stage" in info.base ? info.base.stage : undefined;
    }
    return { stages, byName, target: last, order: stages.map((s) => s.index), edges: [] };
  }
}
