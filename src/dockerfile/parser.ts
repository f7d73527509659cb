/**
 * The public entry points of the frontend: text -> Dockerfile model.
 * Stage 1 (ast.ts) mirrors BuildKit's line parser, stage 2
 * (instructions.ts) makes typed instructions, and this module assembles the
 * lossless node list and the stage view.
 */
import { ParseError } from "../errors.js";
import { parseRaw } from "./ast.js";
import { type ConvertContext, convertItem } from "./instructions.js";
import type {
  ArgInstruction,
  Directive,
  Dockerfile,
  FromInstruction,
  Instruction,
  Node,
  ParseOptions,
  Range,
  Stage,
} from "./model.js";
import { SourceText } from "./source-text.js";

export function parseDockerfile(text: string, opts: ParseOptions = {}): Dockerfile {
  const src = new SourceText(text);
  const raw = parseRaw(src, opts.file);
  const ctx: ConvertContext = {
    src,
    file: opts.file,
    escape: raw.escape,
    strict: opts.strict !== false,
    shell: opts.shell === true,
    warnings: [],
  };
  const nodes: Node[] = [];
  for (const item of raw.items) {
    if (item.kind === "instruction") {
      nodes.push(convertItem(item, ctx));
      continue;
    }
    const l = src.lines[item.line] as { start: number; contentEnd: number; end: number };
    const rawText = text.slice(l.start, l.end);
    if (item.kind === "blank") {
      nodes.push({ kind: "blank", range: src.range(l.start, l.contentEnd), raw: rawText });
    } else if (item.kind === "comment") {
      const start = l.start + item.column - 1;
      nodes.push({
        kind: "comment",
        text: text.slice(start + 1, l.contentEnd),
        range: src.range(start, l.contentEnd),
        raw: rawText,
      });
    } else {
      const start = l.start + item.column - 1;
      nodes.push({
        kind: "directive",
        name: item.name,
        value: item.value,
        range: src.range(start, l.contentEnd),
        raw: rawText,
      });
    }
  }
  if (ctx.shell) {
    for (const n of nodes) {
      if (n.kind !== "instruction") continue;
      const run = n.keyword === "ONBUILD" ? n.trigger : n;
      if (run.keyword === "RUN") void run.shell;
    }
  }
  const df = dockerfileFromNodes(nodes, opts.file === undefined ? {} : { file: opts.file });
  df.escape = raw.escape;
  df.warnings = ctx.warnings;
  // BuildKit rejects these when it builds; fragments without FROM are still worth parsing (linters, snippets).
  for (const ins of df.instructions) {
    if (ins.stage === -1 && ins.keyword !== "ARG") {
      df.warnings.push({
        message: `no build stage in current context: ${ins.keyword} before the first FROM`,
        range: ins.range,
      });
    }
  }
  return df;
}

/**
 * Parses one instruction (continuation lines and heredoc bodies allowed),
 * for rewrites: `parseInstruction("RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt")`.
 * Ranges refer to `text`.
 */
export function parseInstruction(
  text: string,
  opts: ParseOptions & { escape?: "\\" | "`" } = {},
): Instruction {
  const prefix = opts.escape === "`" ? "# escape=`\n" : "";
  const df = parseDockerfile(prefix + text, opts);
  const ins = df.nodes.filter((n): n is Instruction => n.kind === "instruction");
  if (ins.length !== 1) {
    throw new ParseError(`expected exactly one instruction, found ${ins.length}`, {
      location: { line: 1, column: 1, ...(opts.file ? { file: opts.file } : {}) },
      sourceLine: text.split("\n")[0] ?? "",
    });
  }
  const one = ins[0] as Instruction;
  if (prefix) one.raw = text;
  return one;
}

function emptyRange(): Range {
  return { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
}

/**
 * Builds a Dockerfile from a node list (after a rewrite): derives
 * instructions, global ARGs, stages and directives. Nodes are not copied.
 */
export function dockerfileFromNodes(nodes: Node[], opts: { file?: string } = {}): Dockerfile {
  const directives = nodes.filter((n): n is Directive => n.kind === "directive");
  const instructions = nodes.filter((n): n is Instruction => n.kind === "instruction");
  const globalArgs: ArgInstruction[] = [];
  const stages: Stage[] = [];
  let current: Stage | undefined;
  for (const ins of instructions) {
    if (ins.keyword === "FROM") {
      current = { index: stages.length, from: ins as FromInstruction, instructions: [], range: ins.range };
      if ((ins as FromInstruction).stageName !== undefined)
        current.name = (ins as FromInstruction).stageName as string;
      stages.push(current);
      ins.stage = current.index;
      continue;
    }
    if (!current) {
      ins.stage = -1;
      if (ins.keyword === "ARG") globalArgs.push(ins);
      continue;
    }
    ins.stage = current.index;
    current.instructions.push(ins);
    current.range = { start: current.range.start, end: ins.range.end };
  }
  const escDirective = directives.find((d) => d.name === "escape");
  const first = instructions[0];
  const last = instructions[instructions.length - 1];
  const df: Dockerfile = {
    escape: escDirective?.value === "`" ? "`" : "\\",
    directives,
    nodes,
    instructions,
    globalArgs,
    stages,
    range: first && last ? { start: first.range.start, end: last.range.end } : emptyRange(),
    warnings: [],
  };
  if (opts.file !== undefined) df.file = opts.file;
  return df;
}
