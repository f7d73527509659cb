/**
 * Stage 2 of the frontend: BuildKit-style untyped nodes -> typed instructions
 * with source ranges.
 */
import { ParseError } from "../errors.js";
import { type BkNode, LineError, makeError, type RawItem, type Segment } from "./ast.js";
import { checkFlags, flagAll, flagBool, flagString } from "./flags.js";
import { parseFromReference } from "./image-ref.js";
import type {
  ArgDecl,
  CommandForm,
  ExposePort,
  Flag,
  Heredoc,
  Instruction,
  InstructionKeyword,
  KeyValue,
  Mount,
  MountType,
  Range,
  RunInstruction,
  ShellScript,
} from "./model.js";
import { parseShell, parseShellBatch, type ScriptPart } from "./shell-script.js";
import type { SourceText } from "./source-text.js";

export interface ParseWarning {
  message: string;
  range: Range;
}

export interface ConvertContext {
  src: SourceText;
  file: string | undefined;
  escape: "\\" | "`";
  strict: boolean;
  shell: boolean;
  warnings: ParseWarning[];
  /** RUN scripts of this file that can be parsed together (see parseShellBatch), filled on first use. */
  shellBatch?: ShellBatch;
}

/** The plain shell-form RUN scripts of one Dockerfile, parsed in one go when the first is read. */
export class ShellBatch {
  private readonly pending: { ins: RunInstruction; part: ScriptPart }[] = [];
  private done: Map<RunInstruction, ShellScript> | undefined;

  add(ins: RunInstruction, part: ScriptPart): void {
    this.pending.push({ ins, part });
  }

  get(ins: RunInstruction): ShellScript | undefined {
    if (!this.done) {
      const results = parseShellBatch(this.pending.map((p) => p.part));
      this.done = new Map(this.pending.map((p, k) => [p.ins, results[k] as ShellScript]));
    }
    return this.done.get(ins);
  }
}

const KEYWORDS: ReadonlySet<string> = new Set<InstructionKeyword>([
  "FROM",
  "RUN",
  "CMD",
  "LABEL",
  "MAINTAINER",
  "EXPOSE",
  "ENV",
  "ADD",
  "COPY",
  "ENTRYPOINT",
  "VOLUME",
  "USER",
  "WORKDIR",
  "ARG",
  "ONBUILD",
  "STOPSIGNAL",
  "HEALTHCHECK",
  "SHELL",
]);

/** `["a", ...` or a lone `["a` / `["a"`: meant as JSON (a shell test `[ "$x" = y ]` has no comma after the first string). */
const LOOKS_LIKE_JSON = /^\[\s*"(?:[^"\\]|\\.)*("\s*,|"?\s*\]?\s*$)/;
const JSON_FORMS = new Set(["RUN", "CMD", "ENTRYPOINT", "COPY", "ADD", "VOLUME", "HEALTHCHECK", "SHELL"]);

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0] as number;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j] as number;
      d[j] = Math.min((d[j] as number) + 1, (d[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length] as number;
}

type InstructionItem = Extract<RawItem, { kind: "instruction" }>;

/** Maps logical-line offsets to source offsets. */
class LineMap {
  constructor(
    readonly segments: readonly Segment[],
    readonly src: SourceText,
  ) {}
  source(logical: number): number {
    // The last segment starting at or before `logical` (segments are in
    // logical order), by bisection: every shell command's range asks this
    // twice, so a linear scan made long RUN scripts quadratic in their lines.
    const segs = this.segments;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((segs[mid] as Segment).logical <= logical) lo = mid;
      else hi = mid - 1;
    }
    const seg = segs[lo] as Segment;
    return seg.source + Math.min(logical - seg.logical, seg.length);
  }
  /** Source offset for the end of a logical span (exclusive). */
  sourceEnd(logical: number): number {
    if (logical <= 0) return this.source(0);
    return this.source(logical - 1) + 1;
  }
  range(start: number, end: number): Range {
    return this.src.range(this.source(start), end > start ? this.sourceEnd(end) : this.source(start));
  }
}

export function convertItem(item: InstructionItem, ctx: ConvertContext): Instruction {
  const map = new LineMap(item.segments, ctx.src);
  const { src } = ctx;
  const firstLine = src.lines[item.firstLine] as { start: number };
  const lastLine = src.lines[item.lastLine] as { contentEnd: number; end: number };
  const range = src.range(map.source(item.node.cmdStart), lastLine.contentEnd);
  const heredocs: Heredoc[] = item.heredocs.map((h, k) => {
    const body0 = src.lines[h.bodyFirstLine] as { start: number } | undefined;
    const term = src.lines[h.terminatorLine] as { contentEnd: number };
    const marker = findHeredocMarker(item.logical, k);
    const doc: Heredoc = {
      name: h.name,
      chomp: h.chomp,
      quoted: !h.expand,
      expand: h.expand,
      content: h.content,
      markerRange: map.range(marker.start, marker.end),
      bodyRange: src.range(body0 ? body0.start : term.contentEnd, term.contentEnd),
    };
    if (h.fd !== undefined) doc.fd = h.fd;
    return doc;
  });
  const ins = convertNode(item.node, map, ctx, heredocs, range, item);
  ins.raw = src.text.slice(firstLine.start, lastLine.end);
  if (item.innerCommentLines.length > 0) {
    ins.innerComments = item.innerCommentLines.map((li) => {
      const l = src.lines[li] as { start: number; contentEnd: number };
      const text = src.text.slice(l.start, l.contentEnd);
      const hash = text.indexOf("#");
      return {
        kind: "comment" as const,
        text: text.slice(hash + 1),
        range: src.range(l.start + hash, l.contentEnd),
      };
    });
  }
  if (item.emptyContinuation) {
    ctx.warnings.push({
      message: "Empty continuation line found (it will become an error in a future BuildKit)",
      range,
    });
  }
  return ins;
}

/** The k-th heredoc marker `[n]<<[-]WORD` in the logical line (its offsets). */
function findHeredocMarker(line: string, k: number): { start: number; end: number } {
  const re = /\d*<<-?[ \t]*/g;
  let m: RegExpExecArray | null = null;
  let found = -1;
  for (;;) {
    m = re.exec(line);
    if (!m) break;
    const after = line[m.index + m[0].length];
    if (after === undefined || after === "<") continue;
    found++;
    if (found === k) break;
  }
  if (!m) return { start: 0, end: 0 };
  let end = m.index + m[0].length;
  while (end < line.length && !/\s/.test(line[end] as string)) end++;
  return { start: m.index, end };
}

function fail(ctx: ConvertContext, message: string, map: LineMap, at: number, hard = false): void {
  if (ctx.strict || hard) {
    const off = map.source(at);
    const pos = ctx.src.position(off);
    throw makeError(ctx.src, ctx.file, message, pos.line - 1, pos.column);
  }
  const off = map.source(at);
  ctx.warnings.push({ message, range: ctx.src.range(off, off) });
}

function toFlags(node: BkNode, map: LineMap, logical: string): Flag[] {
  return node.flags.map((f) => {
    const body = f.text.slice(2);
    const eq = body.indexOf("=");
    return {
      name: eq < 0 ? body : body.slice(0, eq),
      value: eq < 0 ? null : body.slice(eq + 1),
      raw: logical.slice(f.start, f.end),
      range: map.range(f.start, f.end),
    };
  });
}

/** Logical offset of the last `--name` flag (its value is the one in effect), or the keyword. */
function flagStart(node: BkNode, name: string): number {
  let at = node.cmdStart;
  for (const f of node.flags) if (f.text === `--${name}` || f.text.startsWith(`--${name}=`)) at = f.start;
  return at;
}

/** Range of `word` in the instruction's arguments, searching from `from`. */
function wordRange(node: BkNode, map: LineMap, word: string, from: number): Range {
  const at = Math.max(0, node.args.indexOf(word, Math.max(0, from)));
  return map.range(node.argsStart + at, node.argsStart + at + word.length);
}

function values(node: BkNode): { list: string[]; json: boolean } {
  return node.next.kind === "values"
    ? { list: node.next.values, json: node.next.json }
    : { list: [], json: false };
}

function commandForm(node: BkNode): CommandForm {
  const v = values(node);
  return v.json ? { form: "json", args: v.list } : { form: "shell", command: node.args };
}

/** What the converter of one instruction works from. */
interface Conversion {
  node: BkNode;
  map: LineMap;
  ctx: ConvertContext;
  heredocs: Heredoc[];
  range: Range;
  item: InstructionItem;
  kw: InstructionKeyword;
  flags: Flag[];
  v: { list: string[]; json: boolean };
}

/** Reports a failed requirement at the keyword (an error in strict mode, else a warning). */
function need(c: Conversion, ok: boolean, message: string): void {
  if (!ok) fail(c.ctx, message, c.map, c.node.cmdStart);
}

type Base = Pick<
  Instruction,
  "kind" | "stage" | "raw" | "innerComments" | "keywordRaw" | "flags" | "args" | "heredocs" | "range"
>;

/**
 * The fields every instruction has, in one order. Each converter spells them out in its
 * literal instead of spreading this object: `{ ...base(c), ... }` halved parse throughput
 * (npm run bench -- parse, same machine and load: 3,400 against 7,000-8,400 typical files/s),
 * while listed fields give every kind's object the same leading shape. `stage`, `raw` and
 * `innerComments` are present from the start: assigning them later keeps the shape.
 */
function base(c: Conversion): Base {
  return {
    kind: "instruction",
    stage: undefined,
    raw: undefined,
    innerComments: undefined,
    keywordRaw: c.node.cmd,
    flags: c.flags,
    args: c.node.args,
    heredocs: c.heredocs,
    range: c.range,
  };
}

function convertFrom(c: Conversion): Instruction {
  const b = base(c);
  const { v, node, map, ctx, flags } = c;
  need(
    c,
    v.list.length === 1 || (v.list.length === 3 && v.list[1]?.toLowerCase() === "as"),
    "FROM requires either one or three arguments",
  );
  const image = v.list[0] ?? "";
  const ins: Instruction = {
    kind: b.kind,
    stage: b.stage,
    raw: b.raw,
    innerComments: b.innerComments,
    keywordRaw: b.keywordRaw,
    flags: b.flags,
    args: b.args,
    heredocs: b.heredocs,
    range: b.range,
    keyword: "FROM",
    image,
    imageRef: parseFromReference(image),
    imageRange: wordRange(node, map, image, 0),
  };
  const platform = flagString(flags, "platform");
  if (platform !== undefined) ins.platform = platform;
  if (v.list.length === 3) {
    const name = v.list[2] as string;
    if (!STAGE_NAME.test(name.toLowerCase())) {
      fail(
        ctx,
        `invalid name for build stage: "${name}", name can't start with a number or contain symbols`,
        map,
        node.argsStart,
      );
    }
    ins.stageName = name;
    ins.stageNameRange = wordRange(node, map, name, node.args.lastIndexOf(name));
  }
  return ins;
}

function convertRun(c: Conversion): Instruction {
  const b = base(c);
  const { node, map, ctx, flags, heredocs, item } = c;
  const command = commandForm(node);
  need(
    c,
    command.form === "json" || command.command !== "" || heredocs.length > 0,
    "RUN requires at least one argument",
  );
  const mounts: Mount[] = [];
  for (const f of flags) {
    if (f.name !== "mount" || f.value === null) continue;
    try {
      mounts.push(parseMount(f));
    } catch (e) {
      if (e instanceof LineError) fail(ctx, e.message, map, node.flags[flags.indexOf(f)]?.start ?? 0);
      else throw e;
    }
  }
  let cached: ShellScript | undefined;
  // RUN scripts are parsed on first read of `shell` (a getter in the literal keeps the object's shape fast).
  const ins: RunInstruction = {
    kind: b.kind,
    stage: b.stage,
    raw: b.raw,
    innerComments: b.innerComments,
    keywordRaw: b.keywordRaw,
    flags: b.flags,
    args: b.args,
    heredocs: b.heredocs,
    range: b.range,
    keyword: "RUN",
    command,
    mounts,
    network: undefined,
    security: undefined,
    get shell(): ShellScript {
      cached ??= ctx.shellBatch?.get(ins) ?? shellOf(ins, node, map, ctx, item);
      return cached;
    },
    set shell(v: ShellScript) {
      cached = v;
    },
  };
  const network = flagString(flags, "network");
  if (network !== undefined) {
    if (!["default", "none", "host"].includes(network))
      fail(ctx, `RUN: unsupported network mode "${network}"`, map, flagStart(node, "network"));
    ins.network = network;
  }
  const security = flagString(flags, "security");
  if (security !== undefined) {
    if (!["sandbox", "insecure"].includes(security))
      fail(ctx, `RUN: unsupported security mode "${security}"`, map, flagStart(node, "security"));
    ins.security = security;
  }
  // Plain shell-form scripts join the file's batch; the others are parsed alone.
  if (command.form === "shell" && heredocs.length === 0) {
    const args0 = node.argsStart;
    ctx.shellBatch ??= new ShellBatch();
    ctx.shellBatch.add(ins, {
      script: command.command,
      source: "script",
      toRange: (s, e) => map.range(args0 + s, args0 + e),
    });
  }
  return ins;
}

function convertCopyOrAdd(c: Conversion): Instruction {
  const b = base(c);
  const { v, kw, flags, heredocs } = c;
  need(
    c,
    v.list.length >= 2 || (v.list.length >= 1 && heredocs.length > 0),
    `${kw} requires at least two arguments, but only ${v.list.length} provided`,
  );
  const common = {
    form: v.json ? ("json" as const) : ("shell" as const),
    sources: v.list.slice(0, -1),
    dest: v.list[v.list.length - 1] ?? "",
    link: flagBool(flags, "link"),
    exclude: flagAll(flags, "exclude"),
    parents: flagBool(flags, "parents"),
  };
  const chown = flagString(flags, "chown");
  const chmod = flagString(flags, "chmod");
  if (kw === "COPY")
    return {
      kind: b.kind,
      stage: b.stage,
      raw: b.raw,
      innerComments: b.innerComments,
      keywordRaw: b.keywordRaw,
      flags: b.flags,
      args: b.args,
      heredocs: b.heredocs,
      range: b.range,
      keyword: "COPY",
      ...common,
      from: flagString(flags, "from"),
      chown,
      chmod,
    };
  return {
    kind: b.kind,
    stage: b.stage,
    raw: b.raw,
    innerComments: b.innerComments,
    keywordRaw: b.keywordRaw,
    flags: b.flags,
    args: b.args,
    heredocs: b.heredocs,
    range: b.range,
    keyword: "ADD",
    ...common,
    chown,
    chmod,
    keepGitDir: flagBool(flags, "keep-git-dir"),
    checksum: flagString(flags, "checksum"),
    unpack: flags.some((f) => f.name === "unpack") ? flagBool(flags, "unpack") : undefined,
  };
}

function convertEnvOrLabel(c: Conversion): Instruction {
  const b = base(c);
  const { v, kw, node, map } = c;
  need(c, v.list.length > 0, `${kw} requires at least one argument`);
  const pairs: KeyValue[] = [];
  let cursor = 0;
  for (let i = 0; i + 2 < v.list.length; i += 3) {
    const key = v.list[i] as string;
    const value = v.list[i + 1] as string;
    const sep = v.list[i + 2] === "=" ? "=" : "";
    const at = node.args.indexOf(key, cursor);
    const start = at < 0 ? cursor : at;
    const end = sep === "=" ? start + key.length + 1 + value.length : node.args.length;
    cursor = end;
    pairs.push({
      key,
      value,
      sep,
      range: map.range(node.argsStart + start, node.argsStart + Math.min(end, node.args.length)),
    });
  }
  return kw === "ENV"
    ? {
        kind: b.kind,
        stage: b.stage,
        raw: b.raw,
        innerComments: b.innerComments,
        keywordRaw: b.keywordRaw,
        flags: b.flags,
        args: b.args,
        heredocs: b.heredocs,
        range: b.range,
        keyword: "ENV",
        pairs,
      }
    : {
        kind: b.kind,
        stage: b.stage,
        raw: b.raw,
        innerComments: b.innerComments,
        keywordRaw: b.keywordRaw,
        flags: b.flags,
        args: b.args,
        heredocs: b.heredocs,
        range: b.range,
        keyword: "LABEL",
        pairs,
      };
}

function convertArg(c: Conversion): Instruction {
  const b = base(c);
  const { v, node, map } = c;
  need(c, v.list.length > 0, "ARG requires at least one argument");
  const decls: ArgDecl[] = [];
  let cursor = 0;
  for (const w of v.list) {
    const at = node.args.indexOf(w, cursor);
    const start = at < 0 ? cursor : at;
    cursor = start + w.length;
    const eq = w.indexOf("=");
    const d: ArgDecl = {
      name: eq < 0 ? w : w.slice(0, eq),
      range: map.range(node.argsStart + start, node.argsStart + cursor),
    };
    if (eq >= 0) d.defaultValue = w.slice(eq + 1);
    decls.push(d);
  }
  return {
    kind: b.kind,
    stage: b.stage,
    raw: b.raw,
    innerComments: b.innerComments,
    keywordRaw: b.keywordRaw,
    flags: b.flags,
    args: b.args,
    heredocs: b.heredocs,
    range: b.range,
    keyword: "ARG",
    decls,
  };
}

function convertUser(c: Conversion): Instruction {
  const b = base(c);
  const { node } = c;
  need(c, node.args !== "", "USER requires exactly one argument");
  const colon = node.args.indexOf(":");
  const ins: Instruction = {
    kind: b.kind,
    stage: b.stage,
    raw: b.raw,
    innerComments: b.innerComments,
    keywordRaw: b.keywordRaw,
    flags: b.flags,
    args: b.args,
    heredocs: b.heredocs,
    range: b.range,
    keyword: "USER",
    user: colon < 0 ? node.args : node.args.slice(0, colon),
  };
  if (colon >= 0) ins.group = node.args.slice(colon + 1);
  return ins;
}

function convertExpose(c: Conversion): Instruction {
  const b = base(c);
  const { v, node, map } = c;
  need(c, v.list.length > 0, "EXPOSE requires at least one argument");
  let cursor = 0;
  const ports: ExposePort[] = v.list.map((raw) => {
    const [spec, proto] = raw.split("/", 2) as [string, string | undefined];
    const m = /^(\d+)(?:-(\d+))?$/.exec(spec);
    const at = node.args.indexOf(raw, cursor);
    const start = at < 0 ? cursor : at;
    cursor = start + raw.length;
    const p: ExposePort = {
      raw,
      protocol: (proto ?? "tcp").toLowerCase(),
      range: map.range(node.argsStart + start, node.argsStart + cursor),
    };
    if (m) {
      p.port = Number(m[1]);
      if (m[2] !== undefined) p.endPort = Number(m[2]);
    }
    return p;
  });
  return {
    kind: b.kind,
    stage: b.stage,
    raw: b.raw,
    innerComments: b.innerComments,
    keywordRaw: b.keywordRaw,
    flags: b.flags,
    args: b.args,
    heredocs: b.heredocs,
    range: b.range,
    keyword: "EXPOSE",
    ports,
  };
}

function convertHealthcheck(c: Conversion): Instruction {
  const b = base(c);
  const { v, node, map, ctx, flags } = c;
  need(c, v.list.length > 0, "HEALTHCHECK requires an argument");
  const typ = (v.list[0] ?? "").toUpperCase();
  const ins: Instruction = {
    kind: b.kind,
    stage: b.stage,
    raw: b.raw,
    innerComments: b.innerComments,
    keywordRaw: b.keywordRaw,
    flags: b.flags,
    args: b.args,
    heredocs: b.heredocs,
    range: b.range,
    keyword: "HEALTHCHECK",
    none: typ === "NONE",
  };
  if (typ === "NONE") {
    need(c, v.list.length === 1, "HEALTHCHECK NONE takes no arguments");
  } else if (typ === "") {
    // reported above
  } else if (typ === "CMD") {
    need(c, v.list.length > 1, "Missing command after HEALTHCHECK CMD");
    const rest = node.args.slice((v.list[0] ?? "").length).trimStart();
    ins.command = v.json ? { form: "json", args: v.list.slice(1) } : { form: "shell", command: rest };
  } else {
    fail(ctx, `Unknown type "${typ}" in HEALTHCHECK (try CMD)`, map, node.argsStart);
  }
  for (const [flag, key] of [
    ["interval", "interval"],
    ["timeout", "timeout"],
    ["start-period", "startPeriod"],
    ["start-interval", "startInterval"],
  ] as const) {
    const val = flagString(flags, flag);
    if (val === undefined) continue;
    if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$|^0$/.test(val))
      fail(ctx, `HEALTHCHECK: invalid duration for --${flag}: ${val}`, map, flagStart(node, flag));
    ins[key] = val;
  }
  const retries = flagString(flags, "retries");
  if (retries !== undefined) {
    if (!/^-?\d+$/.test(retries))
      fail(ctx, `HEALTHCHECK: --retries must be an integer: ${retries}`, map, flagStart(node, "retries"));
    ins.retries = Number(retries);
  }
  return ins;
}

function convertVolume(c: Conversion): Instruction {
  const b = base(c);
  const { v } = c;
  need(c, v.list.length > 0, "VOLUME requires at least one argument");
  if (v.list.some((p) => p.trim() === ""))
    fail(c.ctx, "VOLUME specified can not be an empty string", c.map, c.node.argsStart);
  return {
    kind: b.kind,
    stage: b.stage,
    raw: b.raw,
    innerComments: b.innerComments,
    keywordRaw: b.keywordRaw,
    flags: b.flags,
    args: b.args,
    heredocs: b.heredocs,
    range: b.range,
    keyword: "VOLUME",
    form: v.json ? "json" : "shell",
    paths: v.list,
  };
}

function convertOnbuild(c: Conversion): Instruction {
  const b = base(c);
  const { node, map, ctx, heredocs, range, item } = c;
  if (node.next.kind !== "child")
    fail(ctx, "ONBUILD requires at least one argument", map, node.cmdStart, true);
  const child = (node.next as { node: BkNode }).node;
  const ck = child.cmd.toUpperCase();
  if (ck === "ONBUILD" || ck === "FROM" || ck === "MAINTAINER") {
    fail(ctx, `${ck} isn't allowed as an ONBUILD trigger`, map, child.cmdStart);
  }
  const childRange = map.range(child.cmdStart, node.argsStart + node.args.length);
  const trigger = convertNode(child, map, ctx, heredocs, { start: childRange.start, end: range.end }, item);
  return {
    kind: b.kind,
    stage: b.stage,
    raw: b.raw,
    innerComments: b.innerComments,
    keywordRaw: b.keywordRaw,
    flags: b.flags,
    args: b.args,
    heredocs: b.heredocs,
    range: b.range,
    keyword: "ONBUILD",
    trigger,
  };
}

/** One converter per instruction (families share one: COPY/ADD, ENV/LABEL). */
const CONVERTERS: { readonly [K in InstructionKeyword]: (c: Conversion) => Instruction } = {
  FROM: convertFrom,
  RUN: convertRun,
  COPY: convertCopyOrAdd,
  ADD: convertCopyOrAdd,
  ENV: convertEnvOrLabel,
  LABEL: convertEnvOrLabel,
  ARG: convertArg,
  USER: convertUser,
  WORKDIR: (c) => {
    need(c, c.node.args !== "", "WORKDIR requires exactly one argument");
    const b = base(c);
    return {
      kind: b.kind,
      stage: b.stage,
      raw: b.raw,
      innerComments: b.innerComments,
      keywordRaw: b.keywordRaw,
      flags: b.flags,
      args: b.args,
      heredocs: b.heredocs,
      range: b.range,
      keyword: "WORKDIR",
      path: c.node.args,
    };
  },
  EXPOSE: convertExpose,
  CMD: (c, b = base(c)) => ({
    kind: b.kind,
    stage: b.stage,
    raw: b.raw,
    innerComments: b.innerComments,
    keywordRaw: b.keywordRaw,
    flags: b.flags,
    args: b.args,
    heredocs: b.heredocs,
    range: b.range,
    keyword: "CMD",
    command: commandForm(c.node),
  }),
  ENTRYPOINT: (c, b = base(c)) => ({
    kind: b.kind,
    stage: b.stage,
    raw: b.raw,
    innerComments: b.innerComments,
    keywordRaw: b.keywordRaw,
    flags: b.flags,
    args: b.args,
    heredocs: b.heredocs,
    range: b.range,
    keyword: "ENTRYPOINT",
    command: commandForm(c.node),
  }),
  SHELL: (c) => {
    need(c, c.v.json, "SHELL requires the arguments to be in JSON form");
    need(c, c.v.list.length > 0, "SHELL requires at least one argument");
    const b = base(c);
    return {
      kind: b.kind,
      stage: b.stage,
      raw: b.raw,
      innerComments: b.innerComments,
      keywordRaw: b.keywordRaw,
      flags: b.flags,
      args: b.args,
      heredocs: b.heredocs,
      range: b.range,
      keyword: "SHELL",
      shellArgs: c.v.list,
    };
  },
  HEALTHCHECK: convertHealthcheck,
  STOPSIGNAL: (c) => {
    need(c, c.node.args !== "", "STOPSIGNAL requires exactly one argument");
    const b = base(c);
    return {
      kind: b.kind,
      stage: b.stage,
      raw: b.raw,
      innerComments: b.innerComments,
      keywordRaw: b.keywordRaw,
      flags: b.flags,
      args: b.args,
      heredocs: b.heredocs,
      range: b.range,
      keyword: "STOPSIGNAL",
      signal: c.node.args,
    };
  },
  VOLUME: convertVolume,
  MAINTAINER: (c) => {
    need(c, c.node.args !== "", "MAINTAINER requires exactly one argument");
    const b = base(c);
    return {
      kind: b.kind,
      stage: b.stage,
      raw: b.raw,
      innerComments: b.innerComments,
      keywordRaw: b.keywordRaw,
      flags: b.flags,
      args: b.args,
      heredocs: b.heredocs,
      range: b.range,
      keyword: "MAINTAINER",
      maintainer: c.node.args,
    };
  },
  ONBUILD: convertOnbuild,
};

function convertNode(
  node: BkNode,
  map: LineMap,
  ctx: ConvertContext,
  heredocs: Heredoc[],
  range: Range,
  item: InstructionItem,
): Instruction {
  const keyword = node.cmd.toUpperCase();
  if (!KEYWORDS.has(keyword)) {
    let best = "";
    let dist = 3;
    for (const k of KEYWORDS) {
      const d = levenshtein(keyword, k);
      if (d < dist) {
        dist = d;
        best = k;
      }
    }
    fail(
      ctx,
      `unknown instruction: ${node.cmd}${best ? ` (did you mean ${best.toLowerCase()}?)` : ""}`,
      map,
      node.cmdStart,
      true,
    );
  }
  const kw = keyword as InstructionKeyword;
  const flags = toFlags(node, map, item.logical);
  for (const p of checkFlags(kw, flags)) {
    const at = node.flags[flags.indexOf(p.flag)]?.start ?? node.cmdStart;
    fail(ctx, `${kw}: ${p.message}`, map, at);
  }
  const v = values(node);
  // BuildKit quietly runs an invalid JSON array in shell form (its corpus tests that); say so.
  if (!v.json && LOOKS_LIKE_JSON.test(node.args) && JSON_FORMS.has(kw)) {
    const off = map.source(node.argsStart);
    ctx.warnings.push({
      message: `${kw}: the arguments look like a JSON array but are not valid JSON; BuildKit runs them in shell form`,
      range: ctx.src.range(off, map.sourceEnd(node.argsStart + node.args.length)),
    });
  }
  const convert = CONVERTERS[kw];
  if (!convert) throw new ParseError(`unhandled instruction ${kw}`);
  return convert({ node, map, ctx, heredocs, range, item, kw, flags, v });
}

const MOUNT_TYPES = new Set<MountType>(["bind", "cache", "tmpfs", "secret", "ssh"]);
const MOUNT_KEYS = new Set([
  "type",
  "target",
  "dst",
  "destination",
  "source",
  "src",
  "from",
  "id",
  "sharing",
  "mode",
  "uid",
  "gid",
  "readonly",
  "ro",
  "rw",
  "readwrite",
  "required",
  "size",
  "env",
]);

/** CSV fields as Go's encoding/csv reads one record (quotes around a field). */
function csvFields(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= s.length) {
    let field = "";
    if (s[i] === '"') {
      i++;
      for (;;) {
        if (i >= s.length) throw new LineError(`RUN --mount: unterminated quote in ${s}`);
        if (s[i] === '"') {
          if (s[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += s[i];
        i++;
      }
      const comma = s.indexOf(",", i);
      field += comma < 0 ? s.slice(i) : s.slice(i, comma);
      i = comma < 0 ? s.length + 1 : comma + 1;
    } else {
      const comma = s.indexOf(",", i);
      field = comma < 0 ? s.slice(i) : s.slice(i, comma);
      i = comma < 0 ? s.length + 1 : comma + 1;
    }
    out.push(field);
  }
  return out;
}

export function parseMount(flag: Flag): Mount {
  const options: Record<string, string> = {};
  for (const field of csvFields(flag.value ?? "")) {
    if (field === "") continue;
    const eq = field.indexOf("=");
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? "" : field.slice(eq + 1);
    if (!MOUNT_KEYS.has(key)) throw new LineError(`RUN --mount: unexpected key '${key}' in '${field}'`);
    options[key] = value;
  }
  const type = (options.type ?? "bind").toLowerCase();
  if (!MOUNT_TYPES.has(type as MountType))
    throw new LineError(`RUN --mount: unsupported mount type "${type}"`);
  const m: Mount = { type: type as MountType, options, flag };
  const target = options.target ?? options.dst ?? options.destination;
  if (target !== undefined) m.target = target;
  const source = options.source ?? options.src;
  if (source !== undefined) m.source = source;
  if (options.from !== undefined) m.from = options.from;
  if (options.id !== undefined) m.id = options.id;
  if (options.sharing !== undefined) {
    const s = options.sharing.toLowerCase();
    if (s !== "shared" && s !== "private" && s !== "locked")
      throw new LineError(`RUN --mount: unsupported sharing value "${options.sharing}"`);
    m.sharing = s;
  }
  const bool = (v: string | undefined) => v === "" || v === undefined || v.toLowerCase() === "true";
  if ("readonly" in options || "ro" in options) m.readonly = bool(options.readonly ?? options.ro);
  if ("rw" in options || "readwrite" in options) m.readonly = !bool(options.rw ?? options.readwrite);
  if ("required" in options) m.required = bool(options.required);
  for (const k of ["mode", "uid", "gid", "size", "env"] as const) {
    const val = options[k];
    if (val !== undefined) m[k] = val;
  }
  if (target === undefined && (type === "cache" || type === "tmpfs" || type === "bind")) {
    throw new LineError(`RUN --mount=type=${type}: mount target (target=) is required`);
  }
  return m;
}

function shellOf(
  ins: RunInstruction,
  node: BkNode,
  map: LineMap,
  ctx: ConvertContext,
  item: InstructionItem,
): ShellScript {
  const { src } = ctx;
  if (ins.command.form === "json") {
    const a = ins.command.args;
    // exec form running a shell: parse its -c script
    const c = a.indexOf("-c");
    if (a.length >= 3 && /(^|\/)(ba|da|a|z)?sh$/.test(a[0] ?? "") && c > 0 && a[c + 1] !== undefined) {
      const range = map.range(node.argsStart, node.argsStart + node.args.length);
      return parseShell({ script: a[c + 1] as string, source: "script", toRange: () => range });
    }
    return { script: "", commands: [] };
  }
  const script = ins.command.command;
  const args0 = node.argsStart;
  // A RUN whose whole command is one heredoc runs the heredoc body as the script.
  if (ins.heredocs.length === 1 && /^\d*<<-?\s*("[^"]*"|'[^']*'|\S+)$/.test(script.trim())) {
    const h = ins.heredocs[0] as Heredoc;
    const raw = item.heredocs[0];
    const bodyStart = raw
      ? (src.lines[raw.bodyFirstLine]?.start ?? h.bodyRange.start.offset)
      : h.bodyRange.start.offset;
    const body = h.chomp ? h.content.replace(/^\t+/gm, "") : h.content;
    const chompMap = h.chomp ? null : bodyStart;
    return parseShell({
      script: body,
      source: "heredoc",
      heredocIndex: 0,
      toRange: (s, e) => (chompMap === null ? h.bodyRange : src.range(bodyStart + s, bodyStart + e)),
    });
  }
  if (ins.heredocs.length === 0) {
    return parseShell({ script, source: "script", toRange: (s, e) => map.range(args0 + s, args0 + e) });
  }
  // Shell form with heredoc redirections: hand the shell the full text, bodies included.
  let full = script;
  const bodyOffsets: { at: number; source: number }[] = [];
  for (const [k, h] of ins.heredocs.entries()) {
    full += "\n";
    const raw = item.heredocs[k];
    bodyOffsets.push({ at: full.length, source: raw ? (src.lines[raw.bodyFirstLine]?.start ?? 0) : 0 });
    full += `${h.content}${h.name}`;
  }
  const parsed = parseShell({
    script: full,
    source: "script",
    toRange: (s, e) => {
      if (s < script.length) return map.range(args0 + s, args0 + Math.min(e, script.length));
      const seg =
        [...bodyOffsets].reverse().find((b) => b.at <= s) ??
        (bodyOffsets[0] as { at: number; source: number });
      return src.range(seg.source + (s - seg.at), seg.source + (e - seg.at));
    },
  });
  // Heredocs fed to a shell (`RUN <<EOF bash`, `RUN bash <<EOF`) are scripts too.
  if (parsed.commands.some((c) => SHELLS.test(c.name) && !c.args.includes("-c"))) {
    for (const [k, h] of ins.heredocs.entries()) {
      const start = bodyOffsets[k]?.source ?? 0;
      const body = parseShell({
        script: h.chomp ? h.content.replace(/^\t+/gm, "") : h.content,
        source: "heredoc",
        heredocIndex: k,
        toRange: (s, e) => (h.chomp ? h.bodyRange : src.range(start + s, start + e)),
      });
      parsed.commands.push(...body.commands);
      if (body.error && !parsed.error) parsed.error = body.error;
    }
  }
  return parsed;
}

const SHELLS = /(^|\/)(ba|da|a|z|k|mk)?sh$/;
