/**
 * Applies the autofixes of a lint result: each fixed instruction gets its
 * source text edited and re-parsed, and the file is printed through the
 * Dockerfile printer, so every untouched node stays byte for byte.
 */
import { createRequire } from "node:module";
import type { Node } from "../dockerfile/model.js";
import { parseDockerfile, parseInstruction } from "../dockerfile/parser.js";
import { printDockerfile } from "../dockerfile/printer.js";
import type { LintResult } from "./engine.js";
import type { Autofix, Finding, TextEdit } from "./finding.js";

export interface FixOutcome {
  text: string;
  /** The findings whose fixes were applied. */
  applied: Finding[];
  /** Fixes left out because they overlapped another fix or broke the instruction. */
  skipped: Finding[];
  diff: string;
}

export function applyFixes(result: LintResult): FixOutcome {
  const df = result.dockerfile;
  const none = { text: result.source, applied: [], skipped: [], diff: "" };
  if (!df) return none;
  const fixable = result.findings.filter((f): f is Finding & { fix: Autofix } => f.fix !== undefined);
  if (fixable.length === 0) return none;

  const applied: Finding[] = [];
  const skipped: Finding[] = [];
  const nodes: Node[] = [];
  for (const node of df.nodes) {
    const start = node.range.start.offset;
    const end = start + (node.raw?.length ?? 0);
    const mine = fixable.filter((f) => f.fix.edits.every((e) => e.start >= start && e.end <= end));
    if (mine.length === 0 || node.kind !== "instruction" || node.raw === undefined) {
      nodes.push(node);
      continue;
    }
    // Edits apply back to front; a fix that overlaps one already taken is skipped.
    const taken: Array<{ edit: TextEdit; finding: Finding }> = [];
    const used: Finding[] = [];
    for (const f of mine) {
      const overlaps = f.fix.edits.some((e) =>
        taken.some(
          (t) =>
            (e.start < t.edit.end && t.edit.start < e.end) || (e.start === e.end && e.start === t.edit.start),
        ),
      );
      if (overlaps) {
        skipped.push(f);
        continue;
      }
      for (const e of f.fix.edits) taken.push({ edit: e, finding: f });
      used.push(f);
    }
    let raw = node.raw;
    for (const { edit } of [...taken].sort((a, b) => b.edit.start - a.edit.start)) {
      raw = raw.slice(0, edit.start - start) + edit.text + raw.slice(edit.end - start);
    }
    try {
      const parsed = parseInstruction(raw.replace(/\r?\n$/, ""));
      nodes.push({
        ...parsed,
        raw,
        range: node.range,
        ...(node.stage !== undefined ? { stage: node.stage } : {}),
      } as Node);
      applied.push(...used);
    } catch {
      nodes.push(node);
      skipped.push(...used);
    }
  }
  const text = printDockerfile({ ...df, nodes });
  // The fixed file must still parse as a whole; otherwise nothing is written.
  try {
    parseDockerfile(text, { shell: false });
  } catch {
    return { ...none, skipped: fixable };
  }
  return { text, applied, skipped, diff: unifiedDiff(result.file, result.source, text) };
}

// `diff` (19 modules) loads only when a fix is applied: a plain lint run never needs it.
const require = createRequire(import.meta.url);

function unifiedDiff(file: string, before: string, after: string): string {
  const { createTwoFilesPatch } = require("diff") as typeof import("diff");
  const abs = file.startsWith("/");
  return createTwoFilesPatch(abs ? file : `a/${file}`, abs ? file : `b/${file}`, before, after, "", "", {
    context: 3,
  });
}

/**
 * applyFixes in rounds: fixes skipped because they overlapped another one
 * (two edits of the same `apt-get install`) are found again by linting the
 * fixed text and applied in the next round, so one `--fix` does it all.
 */
export function applyFixesInRounds(
  result: LintResult,
  relint: (text: string) => LintResult,
  maxRounds = 5,
): FixOutcome {
  const applied: Finding[] = [];
  let skipped: Finding[] = [];
  let text = result.source;
  let current = result;
  for (let round = 0; round < maxRounds; round++) {
    const o = applyFixes(current);
    skipped = o.skipped;
    if (o.applied.length === 0) break;
    applied.push(...o.applied);
    text = o.text;
    if (o.skipped.length === 0) break;
    current = relint(text);
    if (current.parseFailed) break;
    skipped = [];
  }
  return {
    text,
    applied,
    skipped,
    diff: text === result.source ? "" : unifiedDiff(result.file, result.source, text),
  };
}
