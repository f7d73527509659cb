/**
 * The lint config file: `.slimstage.yaml` (or `.slimstage.yml`) or
 * `slimstage.config.json`, validated against config.schema.json. A broken
 * file throws ConfigError naming the key and the reason; rule ids that name
 * no rule are returned as problems for the engine to report.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import { ConfigError } from "../errors.js";
import { readYaml, yamlLib } from "../yaml-input.js";
import schema from "./config.schema.json" with { type: "json" };
import { SEVERITIES, type Severity } from "./finding.js";
import type { Rule } from "./rule.js";
import { knownRuleId } from "./suppress.js";

export interface LintConfig {
  ignore: string[];
  severity: Record<string, Severity | "off">;
  failureThreshold: Severity | "none";
  trustedRegistries: string[];
  eol: { warnDays: number; today?: string };
}

export const DEFAULT_CONFIG: LintConfig = {
  ignore: [],
  severity: {},
  // Errors and warnings fail a run; info and style findings are advice.
  failureThreshold: "warning",
  trustedRegistries: [],
  eol: { warnDays: 90 },
};

export const CONFIG_FILES = [".slimstage.yaml", ".slimstage.yml", "slimstage.config.json"] as const;

/** A rule id in the config that names no rule, with its place in the file. */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  key: string;
  message: string;
}

export interface LoadedConfig {
  config: LintConfig;
  file?: string;
  problems: ConfigProblem[];
}

// ajv (and yaml, see yamlLib) load when a config file is read (synchronously, hence require):
// most lint runs have none, and loading both cost about 0.1 CPU-s per process.
const require = createRequire(import.meta.url);
let validator: ValidateFunction<Partial<LintConfig>> | undefined;
function configValidator(): ValidateFunction<Partial<LintConfig>> {
  if (!validator) {
    const { Ajv } = require("ajv") as typeof import("ajv");
    validator = new Ajv({ allErrors: false, strict: true }).compile<Partial<LintConfig>>(schema);
  }
  return validator;
}

/** Looks for a config file in `dir` (the first of CONFIG_FILES that exists). */
export function findConfig(dir: string): string | undefined {
  for (const name of CONFIG_FILES) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function loadConfigFile(file: string, rules: readonly Rule[]): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read config file ${file}: ${(e as Error).message}`);
  }
  return parseConfig(text, file, rules);
}

/** Parses and validates config text (YAML, which also reads JSON). */
export function parseConfig(text: string, file: string, rules: readonly Rule[]): LoadedConfig {
  const { isMap, isScalar } = yamlLib();
  const validate = configValidator();
  const read = readYaml(text, file, {
    invalid: `config is not valid ${file.endsWith(".json") ? "JSON" : "YAML"}`,
  });
  const { doc, lineCounter: lines } = read;
  const data: unknown = read.data ?? {};
  const locate = (path: Array<string | number>) => {
    const node = path.length ? doc.getIn(path, true) : doc.contents;
    const range =
      isScalar(node) || isMap(node) ? node.range : (node as { range?: number[] } | undefined)?.range;
    const pos = lines.linePos(range?.[0] ?? 0);
    return { file, line: pos.line, column: pos.col };
  };
  if (!validate(data)) {
    const e = validate.errors?.[0];
    if (e === undefined) throw new Error("internal: config validation failed with no errors");
    const { key, path, reason } = describe(e);
    throw new ConfigError(`config ${key}: ${reason}`, { key, location: locate(path) });
  }
  const cfg: LintConfig = {
    ignore: data.ignore ?? DEFAULT_CONFIG.ignore,
    severity: data.severity ?? {},
    failureThreshold: data.failureThreshold ?? DEFAULT_CONFIG.failureThreshold,
    trustedRegistries: data.trustedRegistries ?? [],
    eol: { ...DEFAULT_CONFIG.eol, ...(data.eol ?? {}) },
  };
  if (cfg.eol.today !== undefined && Number.isNaN(Date.parse(`${cfg.eol.today}T00:00:00Z`))) {
    throw new ConfigError(`config eol.today: not a date: ${cfg.eol.today}`, {
      key: "eol.today",
      location: locate(["eol", "today"]),
    });
  }
  const problems: ConfigProblem[] = [];
  // Ids, slugs and hadolint DL codes are all accepted.
  cfg.ignore.forEach((id, i) => {
    if (!knownRuleId(rules, id))
      problems.push({ ...locate(["ignore", i]), key: `ignore[${i}]`, message: `unknown rule id "${id}"` });
  });
  for (const id of Object.keys(cfg.severity)) {
    if (!knownRuleId(rules, id)) {
      const loc = locate(["severity", id]);
      problems.push({ ...loc, key: `severity.${id}`, message: `unknown rule id "${id}"` });
    }
  }
  return { config: cfg, file, problems };
}

function describe(e: ErrorObject): { key: string; path: Array<string | number>; reason: string } {
  const path = e.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const key = path.reduce<string>(
    (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p),
    "",
  );
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties": {
      const extra = String(params.additionalProperty);
      return { key: key ? `${key}.${extra}` : extra, path: [...path, extra], reason: "unknown key" };
    }
    case "enum":
      return {
        key: key || "(root)",
        path,
        reason: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
      };
    default:
      return { key: key || "(root)", path, reason: e.message ?? "invalid" };
  }
}

export function isSeverity(s: string): s is Severity {
  return (SEVERITIES as readonly string[]).includes(s);
}
