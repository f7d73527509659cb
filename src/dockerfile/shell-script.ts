/**
 * RUN scripts as the rules read them: the simple commands of each script
 * (shell-parse.ts, which says why slimstage parses shell itself), with
 * ranges in the Dockerfile.
 */
import type { Range, ShellCommand, ShellScript } from "./model.js";
import { type ParsedCommand, parseShellCommands } from "./shell-parse.js";

export interface ScriptPart {
  script: string;
  source: "script" | "heredoc";
  heredocIndex?: number;
  /** Maps a UTF-16 offset in `script` to a range in the Dockerfile. */
  toRange(start: number, end: number): Range;
}

/** Parses one script; never throws (a syntax error is recorded in `error`, with its place). */
export function parseShell(part: ScriptPart): ShellScript {
  const parsed = parseShellCommands(part.script);
  const result: ShellScript = {
    script: part.script,
    commands: parsed.commands.map((c) => shellCommand(part, c)),
  };
  if (parsed.error) {
    const at = Math.min(parsed.error.offset, part.script.length);
    result.error = {
      message: parsed.error.message,
      range: part.toRange(at, Math.min(at + 1, part.script.length)),
    };
  }
  return result;
}

/** The command `c` of `part`'s script. */
function shellCommand(part: ScriptPart, c: ParsedCommand): ShellCommand {
  const cmd: ShellCommand = {
    name: c.name,
    args: c.args,
    range: part.toRange(c.start, c.end),
    raw: part.script.slice(c.start, c.end),
    assigns: c.assigns,
    source: part.source,
  };
  if (part.heredocIndex !== undefined) cmd.heredocIndex = part.heredocIndex;
  if (c.dynamic.length > 0) cmd.dynamicWords = c.dynamic;
  return cmd;
}

/**
 * Several scripts at once. mvdan-sh paid ~40 µs per call, so RUNs used to be
 * joined into one parse; this parser has no per-call cost, and the scripts
 * are parsed one by one.
 */
export function parseShellBatch(parts: readonly ScriptPart[]): ShellScript[] {
  return parts.map(parseShell);
}
