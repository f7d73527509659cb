/**
 * Inline pragmas, read from the Dockerfile's comments:
 *   # slimstage ignore=SS101,pip-no-cache-dir     the next instruction
 *   # slimstage global ignore=SS302               the whole file
 *   # hadolint ignore=DL3015                      the next instruction, for rules that map DL3015
 *   # hadolint global ignore=DL3015               the whole file
 */
import type { Dockerfile, Range as ModelRange } from "../dockerfile/model.js";
import type { Rule } from "./rule.js";

export interface Pragma {
  tool: "slimstage" | "hadolint";
  global: boolean;
  /** Ids as written. */
  ids: string[];
  /** Resolved rule ids this pragma silences. */
  ruleIds: string[];
  /** Ids that name no rule. */
  unknown: string[];
  range: ModelRange;
  /** Lines [from, to] of the instruction it applies to; undefined for global pragmas or when none follows. */
  lines?: [number, number];
}

const PRAGMA = /^\s*(slimstage|hadolint)\s+(global\s+)?ignore\s*=\s*(.+?)\s*$/i;

/** Matches a rule by id or slug, case-insensitively. */
const indexes = new WeakMap<readonly Rule[], Map<string, Rule>>();
const hadolintMaps = new WeakMap<readonly Rule[], Map<string, string[]>>();

export function ruleIndex(rules: readonly Rule[]): Map<string, Rule> {
  const cached = indexes.get(rules);
  if (cached) return cached;
  const m = new Map<string, Rule>();
  for (const r of rules) {
    m.set(r.meta.id.toLowerCase(), r);
    m.set(r.meta.slug.toLowerCase(), r);
  }
  indexes.set(rules, m);
  return m;
}

/**
 * The rule ids an id, slug or hadolint code names (a DL code names every rule
 * that maps it), so DL codes work wherever SS ids do: flags, config, pragmas.
 */
export function resolveRuleIds(rules: readonly Rule[], id: string): string[] {
  const direct = ruleIndex(rules).get(id.toLowerCase());
  if (direct) return [direct.meta.id];
  const code = id.toUpperCase();
  return rules.filter((r) => r.meta.hadolint === code).map((r) => r.meta.id);
}

/** Whether an id, slug or hadolint code names at least one rule. */
export function knownRuleId(rules: readonly Rule[], id: string): boolean {
  return resolveRuleIds(rules, id).length > 0;
}

export function readPragmas(df: Dockerfile, rules: readonly Rule[]): Pragma[] {
  const out: Pragma[] = [];
  // Most files have no pragma: skip building the maps for them.
  if (!df.nodes.some((n) => n.kind === "comment" && PRAGMA.test(n.text))) return out;
  const index = ruleIndex(rules);
  let byHadolint = hadolintMaps.get(rules);
  if (!byHadolint) {
    byHadolint = new Map<string, string[]>();
    for (const r of rules) {
      if (!r.meta.hadolint) continue;
      const list = byHadolint.get(r.meta.hadolint) ?? [];
      list.push(r.meta.id);
      byHadolint.set(r.meta.hadolint, list);
    }
    hadolintMaps.set(rules, byHadolint);
  }
  const nodes = df.nodes;
  // Indexed: this runs for every node of every file linted (.entries() allocates per step).
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n];
    if (node?.kind !== "comment") continue;
    const m = PRAGMA.exec(node.text);
    if (!m) continue;
    const [, toolName = "", , idList = ""] = m; // groups 1 and 3 always take part
    const tool = toolName.toLowerCase() as "slimstage" | "hadolint";
    const ids = idList
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const ruleIds: string[] = [];
    const unknown: string[] = [];
    for (const id of ids) {
      if (tool === "hadolint") {
        const mapped = byHadolint.get(id.toUpperCase());
        if (mapped) ruleIds.push(...mapped);
        // hadolint's own codes that slimstage does not map are hadolint's business, not unknown.
        else if (!/^(DL|SC)\d{4}$/i.test(id)) unknown.push(id);
      } else {
        // Ids, slugs and hadolint DL codes all work in slimstage's own pragmas too.
        const rule = index.get(id.toLowerCase());
        const mapped = rule ? [rule.meta.id] : byHadolint.get(id.toUpperCase());
        if (mapped) ruleIds.push(...mapped);
        else unknown.push(id);
      }
    }
    const pragma: Pragma = { tool, global: m[2] !== undefined, ids, ruleIds, unknown, range: node.range };
    if (!pragma.global) {
      for (let k = n + 1; k < nodes.length; k++) {
        // biome-ignore lint/style/noNonNullAssertion: k < nodes.length (the loop condition)
        const next = nodes[k]!;
        if (next.kind === "instruction") {
          pragma.lines = [next.range.start.line, next.range.end.line];
          break;
        }
      }
    }
    out.push(pragma);
  }
  return out;
}

/** Whether a finding of `ruleId` starting on `line` is silenced. */
export function isSuppressed(pragmas: readonly Pragma[], ruleId: string, line: number): boolean {
  for (const p of pragmas) {
    if (!p.ruleIds.includes(ruleId)) continue;
    if (p.global) return true;
    if (p.lines && line >= p.lines[0] && line <= p.lines[1]) return true;
  }
  return false;
}
