/**
 * Building blocks for autofixes: small text edits inside one instruction,
 * located through the parser's ranges. The fix applier re-parses the edited
 * instruction and prints the file through the printer.
 */
import type { Instruction } from "../dockerfile/model.js";
import type { Cmd } from "./facts.js";
import type { Autofix } from "./finding.js";

/** Inserts `text` right after the first word `word` of a command (e.g. after `install`). */
export function insertAfterWord(
  source: string,
  cmd: Cmd,
  word: string,
  text: string,
  title: string,
): Autofix | undefined {
  const start = cmd.raw.range.start.offset;
  const raw = source.slice(start, cmd.raw.range.end.offset);
  const re = new RegExp(`(^|[\\s])${word.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")}(?=$|[\\s;&|])`);
  const m = re.exec(raw);
  if (!m) return undefined;
  const [, lead = ""] = m; // the group always takes part (it may be empty)
  const at = start + m.index + lead.length + word.length;
  return { title, edits: [{ start: at, end: at, text }] };
}

/** Inserts `text` right after the end of a command. */
export function appendAfter(cmd: Cmd, text: string, title: string): Autofix {
  const at = cmd.raw.range.end.offset;
  return { title, edits: [{ start: at, end: at, text }] };
}

/** The instruction's text as it is in the source (range only, no final newline). */
export function instructionText(source: string, ins: Instruction): string {
  return source.slice(ins.range.start.offset, ins.range.end.offset);
}
