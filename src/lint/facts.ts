/**
 * Questions rules ask about a Dockerfile: which stages reach the final image,
 * which RUN commands run where, whether a path ends up in the final image.
 * Pure functions over the parser's model and stage graph.
 */
import type {
  CopyInstruction,
  Dockerfile,
  Instruction,
  InstructionKeyword,
  InstructionOf,
  RunInstruction,
  ShellCommand,
  Stage,
  StageGraph,
  StageInfo,
} from "../dockerfile/model.js";
import type { RuleContext, StageScope } from "./rule.js";

/** An instruction with the stage it runs in; ONBUILD triggers count as instructions of their stage. */
export interface Located<I extends Instruction = Instruction> {
  ins: I;
  stage: number;
  onbuild: boolean;
}

/** Stage index of an instruction; fragments without FROM (hadolint's cases) get stage -1. */
export function stageIndex(ins: Instruction): number {
  return ins.stage ?? -1;
}

const locatedCache = new WeakMap<Dockerfile, Located[]>();

/** Every instruction of the file with its stage, ONBUILD triggers unwrapped (computed once per file). */
export function located(df: Dockerfile): Located[] {
  const cached = locatedCache.get(df);
  if (cached) return cached;
  const out: Located[] = [];
  for (const ins of df.instructions) {
    const stage = stageIndex(ins);
    out.push({ ins, stage, onbuild: false });
    if (ins.keyword === "ONBUILD") out.push({ ins: ins.trigger, stage, onbuild: true });
  }
  locatedCache.set(df, out);
  return out;
}

export function instructionsOf<K extends InstructionKeyword>(
  df: Dockerfile,
  keyword: K,
): Array<Located<InstructionOf<K>>> {
  return located(df).filter((l): l is Located<InstructionOf<K>> => l.ins.keyword === keyword);
}

/** Whether a stage's FROM names an earlier stage rather than an image (image rules skip those). */
export function buildsOnStage(graph: StageGraph, stage: number): boolean {
  const base = graph.stages[stage]?.base;
  return base !== undefined && "stage" in base;
}

/**
 * The instructions of `keyword` after the first in each stage (in a fragment
 * without FROM, after the first in the file): the ones a later one overrides.
 */
export function repeatedInStage<K extends InstructionKeyword>(
  df: Dockerfile,
  keyword: K,
): Array<InstructionOf<K>> {
  const groups = df.stages.length ? df.stages.map((s) => s.instructions) : [df.instructions];
  return groups.flatMap((list) => list.filter((i): i is InstructionOf<K> => i.keyword === keyword).slice(1));
}

/** Whether the RUN mounts a cache or tmpfs on a target `covers` accepts: what it writes there stays out of the layer. */
export function cacheMounted(run: RunInstruction, covers: (target: string) => boolean): boolean {
  return run.mounts.some((m) => (m.type === "cache" || m.type === "tmpfs") && covers(m.target ?? ""));
}

/** Whether a stage index is the target or in its FROM ancestry (its filesystem is the final image's). */
export function reachesFinal(graph: StageGraph, stage: number): boolean {
  if (stage < 0) return graph.stages.length === 0; // a fragment without FROM is the final image
  return graph.stages[stage]?.reachesFinalImage ?? false;
}

export function isReachable(graph: StageGraph, stage: number): boolean {
  if (stage < 0) return graph.stages.length === 0;
  return graph.stages[stage]?.reachable ?? false;
}

/** The target stage and its FROM ancestry. */
export function isFinalStage(graph: StageGraph, stage: number): boolean {
  if (stage < 0) return graph.stages.length === 0;
  return stage === graph.target;
}

export function inScope(graph: StageGraph, scope: StageScope, stage: number): boolean {
  switch (scope) {
    case "reaches-final":
    case "final-stage":
      return reachesFinal(graph, stage);
    case "reachable":
      return isReachable(graph, stage);
    case "all":
    case "file":
      return true;
  }
}

/** The stage's FROM ancestry within the file, nearest first (the stage itself included). */
export function ancestry(df: Dockerfile, graph: StageGraph, stage: number): Stage[] {
  const out: Stage[] = [];
  let i: number | undefined = stage;
  const seen = new Set<number>();
  while (i !== undefined && i >= 0 && !seen.has(i)) {
    seen.add(i);
    const s = df.stages[i];
    if (!s) break;
    out.push(s);
    const base: StageInfo["base"] | undefined = graph.stages[i]?.base;
    i = base && "stage" in base ? base.stage : undefined;
  }
  return out;
}

/** The external image a stage starts from (following stage bases), or undefined for scratch/unknown. */
export function baseImageOf(df: Dockerfile, graph: StageGraph, stage: number): string | undefined {
  const chain = ancestry(df, graph, stage);
  const root = chain[chain.length - 1];
  if (!root) return undefined;
  const info = graph.stages[root.index]?.base;
  if (info && "image" in info) return info.image;
  return root.from.image;
}

// ---------------------------------------------------------------------------
// Shell commands

const WRAPPERS = new Set(["sudo", "env", "nice", "nohup", "time", "exec", "command", "xargs", "stdbuf"]);

/** A command with wrappers (`sudo`, `env X=1`, `exec`) peeled off; `name` is the basename. */
export interface Cmd {
  name: string;
  args: string[];
  raw: ShellCommand;
}

export function peel(c: ShellCommand): Cmd {
  let name = c.name;
  let args = c.args;
  for (let guard = 0; guard < 4 && WRAPPERS.has(basename(name)); guard++) {
    let i = 0;
    let a = args[i];
    // Skip the wrapper's own options and env assignments.
    while (a !== undefined && (a.startsWith("-") || /^[A-Za-z_][A-Za-z0-9_]*=/.test(a))) a = args[++i];
    if (a === undefined) break;
    name = a;
    args = args.slice(i + 1);
  }
  return { name: basename(name), args, raw: c };
}

const commandCache = new WeakMap<RunInstruction, Cmd[]>();

/** The RUN's commands with wrappers peeled (computed once per instruction). */
export function commands(run: RunInstruction): Cmd[] {
  let cmds = commandCache.get(run);
  if (!cmds) {
    cmds = run.shell.commands.map(peel);
    commandCache.set(run, cmds);
  }
  return cmds;
}

export function basename(p: string): string {
  const i = p.lastIndexOf("/");
  return i >= 0 ? p.slice(i + 1) : p;
}

/** First positional (non-option) argument. */
export function subcommand(args: readonly string[]): string | undefined {
  return args.find((a) => !a.startsWith("-"));
}

/** Whether a command has one of the flags, also inside combined short flags (`-yq` has `-y`). */
export function hasFlag(
  args: readonly string[],
  long: readonly string[],
  short: readonly string[] = [],
): boolean {
  for (const a of args) {
    if (a === "--") return false;
    if (long.some((l) => a === l || a.startsWith(`${l}=`))) return true;
    // A cluster may end in an option's value: `-qO-` is -q and -O with the value "-".
    const cluster = /^-([A-Za-z0-9]+)/.exec(a)?.[1];
    if (cluster !== undefined && !a.startsWith("--") && short.some((s) => cluster.includes(s))) return true;
  }
  return false;
}

/** Text between two commands in the source: the shell operators joining them. */
export function gapBetween(source: string, a: Cmd, b: Cmd): string {
  return source.slice(a.raw.range.end.offset, b.raw.range.start.offset);
}

/**
 * `case` arm patterns (`in amd64|arm64)`, `;; x86|i386)`) in the text between
 * two commands: their `|` separates alternatives, it is no pipe. The parser
 * hands rules simple commands, so the operators between them are read from
 * the source; a pattern always follows `in` or `;;` and ends at `)`.
 */
const CASE_PATTERN = /(\bin|;;|;&|;;&)((?:\s|\\\r?\n)*)\(?[^();\n]*\)/g;

/** Whether `a` pipes into `b` (a single `|` between them, not `||`, not a `case` pattern). */
export function pipesInto(source: string, a: Cmd, b: Cmd): boolean {
  const gap = gapBetween(source, a, b).replace(/\|\|/g, "");
  if (!gap.includes("|")) return false;
  return gap.replace(CASE_PATTERN, "$1$2").includes("|");
}

/** The RUN's pipelines of two or more commands, each in order (left side first). */
export function pipelines(source: string, run: RunInstruction): Cmd[][] {
  const cmds = commands(run);
  const out: Cmd[][] = [];
  let cur: Cmd[] = [];
  // Indexed, not .entries(): one [i, c] array per command was measurable on the lint bench.
  for (let i = 0; i < cmds.length; i++) {
    const c = cmds[i];
    if (c === undefined) continue;
    cur.push(c);
    const next = cmds[i + 1];
    if (next && pipesInto(source, c, next)) continue;
    if (cur.length > 1) out.push(cur);
    cur = [];
  }
  return out;
}

/** Whether the RUN script has a pipeline anywhere. */
export function hasPipe(source: string, run: RunInstruction): boolean {
  const cmds = commands(run);
  let prev: Cmd | undefined;
  for (const c of cmds) {
    if (prev && pipesInto(source, prev, c)) return true;
    prev = c;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Paths

export function normalizePath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join("/")}`;
}

export function unquote(s: string): string {
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0]) return s.slice(1, -1);
  return s;
}

/** `p` as a normalized absolute path, a relative one taken from the WORKDIR `wd`. */
export function absolutePath(p: string, wd: string): string {
  return normalizePath(p.startsWith("/") ? p : `${wd}/${p}`);
}

/** Where a COPY or ADD writes, as an absolute path; undefined when the destination holds a variable the stage does not set. */
export function copyDestination(
  df: Dockerfile,
  graph: StageGraph,
  ins: InstructionOf<"COPY" | "ADD">,
): string | undefined {
  const dest = expandVars(unquote(ins.dest), varsBefore(df, graph, ins));
  return dest === undefined ? undefined : absolutePath(dest, workdirAt(df, graph, ins));
}

/**
 * `$NAME` and `${NAME}` in a word replaced from `vars`; undefined when a
 * variable is not there or the word uses other expansions (`${X:-y}`,
 * `$(...)`), which a path rule must not guess.
 */
export function expandVars(word: string, vars: Record<string, string>): string | undefined {
  if (!word.includes("$")) return word;
  let ok = true;
  const out = word.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, a, b) => {
    const v = vars[(a ?? b) as string];
    if (v === undefined || v.includes("$")) ok = false;
    return v ?? "";
  });
  return ok && !out.includes("$") ? out : undefined;
}

/** The instruction lists `ins` is built on, base stage first (the whole file before the first FROM). */
function instructionsLeadingTo(df: Dockerfile, graph: StageGraph, ins: Instruction): Instruction[][] {
  const stage = stageIndex(ins);
  if (stage < 0) return [df.instructions];
  return ancestry(df, graph, stage)
    .reverse()
    .map((s) => s.instructions);
}

/** ARG defaults and ENV values in effect before `ins` in its stage (ENV wins, as in BuildKit). */
export function varsBefore(df: Dockerfile, graph: StageGraph, ins: Instruction): Record<string, string> {
  const vars: Record<string, string> = {};
  const lists = instructionsLeadingTo(df, graph, ins);
  for (const list of lists) {
    for (const i of list) {
      if (i === ins) return vars;
      if (i.keyword === "ARG")
        for (const a of i.decls) if (a.defaultValue !== undefined) vars[a.name] ??= unquote(a.defaultValue);
      if (i.keyword === "ENV")
        for (const p of i.pairs) {
          const v = expandVars(unquote(p.value), vars);
          if (v !== undefined) vars[p.key] = v;
          else delete vars[p.key];
        }
    }
  }
  return vars;
}

/** `p` is `dir` or inside it. */
export function isUnder(p: string, dir: string): boolean {
  if (dir === "/") return true;
  return p === dir || p.startsWith(`${dir}/`);
}

/** The WORKDIR in effect before each instruction of a stage, following the stage's FROM ancestry. */
export function workdirAt(df: Dockerfile, graph: StageGraph, ins: Instruction): string {
  const stage = stageIndex(ins);
  if (stage < 0) return "/";
  const chain = ancestry(df, graph, stage).reverse();
  let wd = "/";
  for (const s of chain) {
    for (const i of s.instructions) {
      if (i === ins) return wd;
      if (i.keyword === "WORKDIR") {
        const p = unquote(i.path);
        if (p.includes("$")) continue;
        wd = absolutePath(p, wd);
      }
    }
  }
  return wd;
}

const copiesFromCache = new WeakMap<StageGraph, Map<number, Array<Located<InstructionOf<"COPY">>>>>();

/**
 * The COPY --from instructions that copy out of `stage`, indexed once per
 * file and graph: pathReachesFinal is asked once per RUN, and scanning every
 * COPY each time made lint quadratic in the file's length.
 */
function copiesFrom(df: Dockerfile, graph: StageGraph, stage: number): Array<Located<InstructionOf<"COPY">>> {
  let index = copiesFromCache.get(graph);
  if (!index) {
    index = new Map();
    for (const l of instructionsOf(df, "COPY")) {
      const from = resolveFrom(df, graph, l.ins);
      if (from === undefined) continue;
      const list = index.get(from);
      if (list) list.push(l);
      else index.set(from, [l]);
    }
    copiesFromCache.set(graph, index);
  }
  return index.get(stage) ?? [];
}

/**
 * Whether a file at `path`, written in `stage`, can reach the final image:
 * the stage's filesystem is the final image's, or a COPY --from of a
 * directory holding it lands (recursively) in a stage that reaches it.
 */
export function pathReachesFinal(
  ctx: Pick<RuleContext, "df" | "graph">,
  stage: number,
  path: string,
  depth = 0,
): boolean {
  if (reachesFinal(ctx.graph, stage)) return true;
  if (depth > ctx.df.stages.length) return false;
  for (const { ins, stage: consumer } of copiesFrom(ctx.df, ctx.graph, stage)) {
    if (consumer === stage) continue;
    for (const raw of ins.sources) {
      const src = unquote(raw);
      if (src.includes("$") || /[*?[]/.test(src)) continue;
      const s = normalizePath(src);
      if (!isUnder(path, s)) continue;
      const dest = unquote(ins.dest);
      const base = dest.startsWith("/") ? dest : `${workdirAt(ctx.df, ctx.graph, ins)}/${dest}`;
      const landed = normalizePath(`${base}/${path.slice(s.length)}`);
      if (pathReachesFinal(ctx, consumer, landed, depth + 1)) return true;
    }
  }
  return false;
}

/**
 * Each stage whose filesystem reaches the final image, with the instructions
 * that built that filesystem: its FROM ancestry's and its own, in build order.
 */
export function* finalImageBuilds(
  ctx: Pick<RuleContext, "df" | "graph">,
): Generator<{ stage: number; instructions: Instruction[] }> {
  for (const s of ctx.df.stages) {
    if (!reachesFinal(ctx.graph, s.index)) continue;
    const chain = ancestry(ctx.df, ctx.graph, s.index).reverse();
    yield { stage: s.index, instructions: chain.flatMap((st) => st.instructions) };
  }
}

/** The stage index a COPY --from names, or undefined for an image or no --from. */
export function resolveFrom(df: Dockerfile, graph: StageGraph, ins: CopyInstruction): number | undefined {
  if (ins.from === undefined) return undefined;
  return resolveStageRef(df, graph, ins.from, stageIndex(ins));
}

export function resolveStageRef(
  df: Dockerfile,
  graph: StageGraph,
  ref: string,
  before: number,
): number | undefined {
  const byName = graph.byName[ref.toLowerCase()];
  if (byName !== undefined && (before < 0 || byName < before)) return byName;
  if (/^\d+$/.test(ref)) {
    const n = Number(ref);
    if (n < df.stages.length && (before < 0 || n < before)) return n;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Environment

/** ENV values set in the stage's ancestry before `ins` (literal values, quotes removed). */
export function envBefore(df: Dockerfile, graph: StageGraph, ins: Instruction): Record<string, string> {
  const env: Record<string, string> = {};
  const stage = stageIndex(ins);
  const chain = stage < 0 ? [] : ancestry(df, graph, stage).reverse();
  const lists = stage < 0 ? [df.instructions] : chain.map((s) => s.instructions);
  for (const list of lists) {
    for (const i of list) {
      if (i === ins) return env;
      if (i.keyword === "ENV") for (const p of i.pairs) env[p.key] = unquote(p.value);
    }
  }
  return env;
}

/** The SHELL in effect for an instruction (default `/bin/sh -c`). */
export function shellAt(df: Dockerfile, graph: StageGraph, ins: Instruction): string[] {
  let shell = ["/bin/sh", "-c"];
  const lists = instructionsLeadingTo(df, graph, ins);
  for (const list of lists) {
    for (const i of list) {
      if (i === ins) return shell;
      if (i.keyword === "SHELL") shell = i.shellArgs;
    }
  }
  return shell;
}
