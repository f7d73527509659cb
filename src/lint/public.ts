/** Public API of the linter (re-exported by src/index.ts). */
export { applyFixes, applyFixesInRounds, type FixOutcome } from "./autofix.js";
export { DEFAULT_CONFIG, findConfig, type LintConfig, loadConfigFile, parseConfig } from "./config.js";
export { type LintOptions, type LintResult, lintText } from "./engine.js";
export { EOL_TABLE, type EolRow, lookupEol, releasesInImage } from "./eol.js";
export type {
  Autofix,
  Category,
  Finding,
  Position as FindingPosition,
  Range as FindingRange,
  Severity,
  TextEdit,
} from "./finding.js";
export { FORMATS, type FormatName, formatReport, type LintReport } from "./formats/index.js";
export { type LintFilesOptions, type LintFilesResult, lintFiles } from "./lint-files.js";
export type { LintEnvironment, Rule, RuleMeta, StageScope } from "./rule.js";
export { RULES } from "./rules/index.js";
