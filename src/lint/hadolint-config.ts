/**
 * hadolint's config file (`.hadolint.yaml` / `.hadolint.yml` here, or
 * `$XDG_CONFIG_HOME/hadolint.yaml`), read when no slimstage config is found,
 * so a project that already tuned hadolint gets the same verdicts:
 * `ignored`, `failure-threshold`, `override` (severity per rule) and
 * `trustedRegistries` map onto slimstage's config through the rules' DL codes.
 * Keys with no slimstage meaning (`label-schema`, `strict-labels`: no rule
 * checks label values) are accepted and left alone.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../errors.js";
import { yamlLib } from "../yaml-input.js";
import { type ConfigProblem, DEFAULT_CONFIG, type LintConfig, type LoadedConfig } from "./config.js";
import type { Severity } from "./finding.js";
import type { Rule } from "./rule.js";
import { knownRuleId } from "./suppress.js";

export const HADOLINT_FILES = [".hadolint.yaml", ".hadolint.yml"] as const;

/** The hadolint config lint would use in `dir`: the directory's own, else the user's under XDG_CONFIG_HOME. */
export function findHadolintConfig(dir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const name of HADOLINT_FILES) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  const xdg = env.XDG_CONFIG_HOME ?? (env.HOME ? join(env.HOME, ".config") : undefined);
  if (xdg) {
    const p = join(xdg, "hadolint.yaml");
    if (existsSync(p)) return p;
  }
  return undefined;
}

const THRESHOLDS: Record<string, Severity | "none"> = {
  error: "error",
  warning: "warning",
  info: "info",
  style: "style",
  ignore: "none",
  none: "none",
};

/** hadolint's `override` levels; `ignore` turns a rule off. */
const OVERRIDE_LEVELS: Record<string, Severity | "off"> = {
  error: "error",
  warning: "warning",
  info: "info",
  style: "style",
  ignore: "off",
};

export function loadHadolintConfig(file: string, rules: readonly Rule[]): LoadedConfig {
  const text = readFileSync(file, "utf8");
  const { LineCounter, parseDocument } = yamlLib();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const [yamlError] = doc.errors;
  if (yamlError) {
    const pos = lines.linePos(yamlError.pos[0]);
    throw new ConfigError(`hadolint config is not valid YAML: ${yamlError.message.split("\n")[0]}`, {
      location: { file, line: pos.line, column: pos.col },
    });
  }
  const data = (doc.toJS() ?? {}) as Record<string, unknown>;
  const where = (path: Array<string | number>) => {
    const node = doc.getIn(path, true) as { range?: number[] } | undefined;
    const pos = lines.linePos(node?.range?.[0] ?? 0);
    return { file, line: pos.line, column: pos.col };
  };
  const bad = (key: string, why: string): never => {
    throw new ConfigError(`hadolint config ${key}: ${why}`, { key, location: where([key]) });
  };
  const list = (key: string): string[] => {
    const v = data[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string"))
      return bad(key, "must be a list of strings");
    return v as string[];
  };
  const problems: ConfigProblem[] = [];
  const ignore = list("ignored");
  ignore.forEach((id, i) => {
    // hadolint codes slimstage does not map are hadolint's business: not a problem, just nothing to do.
    if (!/^DL\d{4}$|^SC\d{4}$/i.test(id) && !knownRuleId(rules, id))
      problems.push({ ...where(["ignored", i]), key: `ignored[${i}]`, message: `unknown rule id "${id}"` });
  });
  const severity: LintConfig["severity"] = {};
  const override = data.override;
  if (override !== undefined && override !== null) {
    if (typeof override !== "object" || Array.isArray(override))
      bad("override", "must be a map of level: [codes]");
    for (const [level, codes] of Object.entries(override as Record<string, unknown>)) {
      const sev =
        OVERRIDE_LEVELS[level] ??
        bad("override", `unknown level "${level}" (error, warning, info, style, ignore)`);
      if (!Array.isArray(codes)) bad("override", `${level} must be a list of rule codes`);
      for (const code of codes as unknown[])
        if (typeof code === "string" && knownRuleId(rules, code)) severity[code] = sev;
    }
  }
  const rawThreshold = data["failure-threshold"];
  let failureThreshold = DEFAULT_CONFIG.failureThreshold;
  if (rawThreshold !== undefined) {
    failureThreshold =
      THRESHOLDS[String(rawThreshold)] ??
      bad("failure-threshold", `must be one of ${Object.keys(THRESHOLDS).join(", ")}`);
  }
  return {
    config: {
      ...DEFAULT_CONFIG,
      ignore: ignore.filter((id) => knownRuleId(rules, id)),
      severity,
      failureThreshold,
      trustedRegistries: list("trustedRegistries"),
    },
    file,
    problems,
  };
}
