/**
 * Test helpers in hadolint's style: `catches(rule, dockerfile)` expects at
 * least one finding of that rule (or exactly `count`), `catchesNot` none.
 * Only tests import this module.
 */
import { expect } from "vitest";
import type { LintConfig } from "../config.js";
import { DEFAULT_CONFIG } from "../config.js";
import { type LintOptions, lintText } from "../engine.js";
import type { Finding } from "../finding.js";
import type { LintEnvironment, Rule } from "../rule.js";

/** Today, as the issue states it: 2026-11-22. */
export const TODAY = new Date("2026-11-22T12:00:00Z");

export interface CaseOptions {
  env?: LintEnvironment;
  config?: Partial<LintConfig>;
  now?: Date;
  /** Build target (as `--target` or a compose file's `build.target`). */
  target?: string;
}

export function run(rule: Rule, dockerfile: string, opts: CaseOptions = {}): Finding[] {
  const lintOpts: LintOptions = {
    rules: [rule],
    now: opts.now ?? TODAY,
    config: { ...DEFAULT_CONFIG, ...opts.config },
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.target ? { target: opts.target } : {}),
  };
  const res = lintText(dockerfile.endsWith("\n") ? dockerfile : `${dockerfile}\n`, lintOpts);
  if (res.parseFailed) throw new Error(`test Dockerfile does not parse: ${res.findings[0]?.message}`);
  const crashed = res.findings.find((f) => f.message.startsWith("rule crashed"));
  if (crashed) throw new Error(crashed.message);
  return res.findings.filter((f) => f.ruleId === rule.meta.id);
}

export function catches(rule: Rule, dockerfile: string, count?: number, opts: CaseOptions = {}): Finding[] {
  const found = run(rule, dockerfile, opts);
  if (count === undefined)
    expect(found.length, `${rule.meta.id} should catch:\n${dockerfile}`).toBeGreaterThan(0);
  else expect(found.length, `${rule.meta.id} should catch ${count}x:\n${dockerfile}`).toBe(count);
  return found;
}

export function catchesNot(rule: Rule, dockerfile: string, opts: CaseOptions = {}): void {
  const found = run(rule, dockerfile, opts);
  expect(
    found.map((f) => `${f.range.start.line}: ${f.message}`),
    `${rule.meta.id} should not catch:\n${dockerfile}`,
  ).toEqual([]);
}
