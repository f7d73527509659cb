/**
 * What a rule is: its metadata beside one check function. Rules only report;
 * the engine applies pragmas, config and thresholds after all rules ran.
 */
import type { Dockerfile, Instruction, Range as ModelRange, StageGraph } from "../dockerfile/model.js";
import type { Autofix, Category, Severity } from "./finding.js";

/**
 * How a rule treats stages:
 * - `reaches-final`: size rules; fire only where the content can reach the final
 *   image (a stage in the target's FROM ancestry, or files copied onward from it).
 * - `final-stage`: look at the target stage (and its FROM ancestry) only.
 * - `reachable`: every stage needed to build the target.
 * - `all`: every stage, reachable or not.
 * - `file`: the file as a whole (stage structure, directives).
 */
export type StageScope = "reaches-final" | "final-stage" | "reachable" | "all" | "file";

export interface RuleMeta {
  /** `SS` + category digit + number, e.g. SS101. Stable forever. */
  id: string;
  /** kebab-case name, also accepted wherever an id is. */
  slug: string;
  severity: Severity;
  category: Category;
  /** One line: what the rule finds. */
  description: string;
  /** Why it matters. */
  rationale: string;
  /** What to do instead. */
  fix: string;
  /** The hadolint code this rule agrees with on hadolint's own cases. */
  hadolint?: string;
  /** The `docker build --check` rule(s) this rule covers (BuildKit's Dockerfile frontend checks). */
  buildkit?: string | readonly string[];
  stages: StageScope;
  /** How the rule treats stages, in a sentence, for the docs. */
  stagesNote: string;
  /** True when the rule offers a mechanical autofix. */
  autofix?: boolean;
  /** Deliberate differences from hadolint, each naming the corpus row (spec:line). */
  differences?: string[];
  /** Examples for the docs. */
  bad?: string;
  good?: string;
}

export interface Report {
  /** The instruction or a precise range inside it. */
  node: Instruction | { range: ModelRange };
  message: string;
  /** Stage index; defaults to the instruction's stage. */
  stage?: number;
  fix?: Autofix;
  /** Overrides the rule's fix hint for this finding. */
  hint?: string;
}

/** Project facts that the file alone does not carry; undefined = unknown, and rules that need it stay silent. */
export interface LintEnvironment {
  /** Text of the build context's .dockerignore, null when the context has none. */
  dockerignore?: string | null;
  /** The build context's package.json; null when it has none. */
  packageJson?: PackageManifest | null;
  /** Names at the top of the build context (to know whether it has a .git at all). */
  contextEntries?: readonly string[];
}

/** The parts of package.json that rules read. */
export interface PackageManifest {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

export interface RulePolicy {
  /** Registries an image may come from (`docker.io`, `*.corp.example`); empty = any. */
  trustedRegistries: string[];
  /** The clock for end-of-life checks. */
  now: Date;
  /** Warn this many days before an end of life. */
  eolWarnDays: number;
}

export interface RuleContext {
  readonly df: Dockerfile;
  readonly source: string;
  readonly file: string;
  readonly graph: StageGraph;
  readonly env: LintEnvironment;
  readonly policy: RulePolicy;
  report(r: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
