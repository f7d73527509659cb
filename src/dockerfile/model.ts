/**
 * The Dockerfile model: plain data, JSON-serialisable (no classes, no Maps),
 * produced by `parseDockerfile` and printed back by `printDockerfile`.
 *
 * Conventions:
 * - Positions: `line` and `column` are 1-based, `offset` is a 0-based UTF-16
 *   index into the source text. A range's `end` is exclusive.
 * - Lossless: `Dockerfile.nodes` holds every top-level node (directives,
 *   comments, blank lines, instructions) in source order, and the `raw` texts
 *   of the nodes concatenate to the source text exactly. `raw` includes the
 *   node's final line terminator (if the source had one); `range` does not.
 * - Optional fields may also be present with the value `undefined` (the
 *   parser creates objects with a fixed shape for speed); test with
 *   `x.field !== undefined`, not `"field" in x`.
 * - Rewrites: an instruction without `raw` (a new one, or a copy with `raw`
 *   removed) is printed from its typed fields; one with `raw` is printed byte
 *   for byte. The easiest way to make a new instruction is
 *   `parseInstruction("RUN apt-get update")`.
 *
 * The stable API (names and signatures here stay; later changes only add):
 *   parseDockerfile(text, opts?) -> Dockerfile      (throws ParseError)
 *   parseInstruction(text, opts?) -> Instruction     (throws ParseError)
 *   dockerfileFromNodes(nodes, opts?) -> Dockerfile (re-derives stages etc.)
 *   printDockerfile(df) -> string
 *   printInstruction(ins) -> string
 *   buildStageGraph(df, opts?) -> StageGraph         (throws ParseError on unknown stage / cycle)
 *   expand(df, opts?) -> Expansion
 *   expandWord(word, lookup, opts?) -> string        (BuildKit's shell-word expansion)
 *   parseFromReference(text) -> ImageRef
 *   dumpBuildkit(df) -> string                       (BuildKit's AST dump format)
 */

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column (UTF-16 code units). */
  column: number;
  /** 0-based UTF-16 offset into the source text. */
  offset: number;
}

export interface Range {
  start: Position;
  /** Exclusive. */
  end: Position;
}

// ---------------------------------------------------------------------------
// Top-level nodes

export interface Directive {
  kind: "directive";
  /** Lower-cased directive name: "syntax", "escape", "check", ... */
  name: string;
  value: string;
  range: Range;
  raw?: string;
}

export interface Comment {
  kind: "comment";
  /** Text after the `#`, not trimmed. */
  text: string;
  range: Range;
  raw?: string;
}

export interface BlankLine {
  kind: "blank";
  range: Range;
  raw?: string;
}

export type Node = Directive | Comment | BlankLine | Instruction;

// ---------------------------------------------------------------------------
// Pieces of instructions

/** A `--name=value` (or bare `--name`) flag as written. */
export interface Flag {
  /** Name without the leading dashes, as written (BuildKit flags are case-sensitive). */
  name: string;
  /** null for a bare flag such as `--link`. */
  value: string | null;
  /** Exact text, e.g. `--mount=type=cache,target=/root/.cache`. */
  raw: string;
  range: Range;
}

export interface Heredoc {
  /** The delimiter word without quotes, e.g. `EOF`. */
  name: string;
  /** `<<-EOF`: leading tabs are stripped from body lines and the terminator. */
  chomp: boolean;
  /** The delimiter was quoted (`<<"EOF"`, `<<'EOF'`): no expansion in the body. */
  quoted: boolean;
  /** True when variables in the body are expanded (the delimiter is unquoted). */
  expand: boolean;
  /** Body as BuildKit's parser delivers it: every line with its newline (for `<<-`, leading tabs are still in; BuildKit strips them when it uses the body). */
  content: string;
  /** Optional file descriptor prefix as in `3<<EOF`. */
  fd?: number;
  /** Range of the `<<EOF` marker in the instruction line. */
  markerRange: Range;
  /** Range of the body (first body line to the end of the terminator line). */
  bodyRange: Range;
}

/** A simple command found by the shell parser, e.g. `apt-get install -y curl`. */
export interface ShellCommand {
  /** The command word with quotes removed (may contain `$VAR` text when not literal). */
  name: string;
  /** Argument words with quotes removed. */
  args: string[];
  /** Range of the command in the Dockerfile. */
  range: Range;
  /** Command text as written in the script. */
  raw: string;
  /** Assignments before the command (`FOO=1 make`), as written. */
  assigns: string[];
  /** Where it came from: the RUN script itself or a heredoc body (index into `heredocs`). */
  source: "script" | "heredoc";
  heredocIndex?: number;
  /** Words that are not plain literals (contain expansions or globs) by index: 0 = name, 1.. = args. */
  dynamicWords?: number[];
}

export interface ShellScript {
  /** The script text handed to the shell parser. */
  script: string;
  /** Simple commands in source order, across `&&`, `||`, `;`, pipes, subshells, blocks and heredoc bodies. */
  commands: ShellCommand[];
  /** Set when the script did not parse; `commands` then holds what could be recovered (possibly nothing). */
  error?: { message: string; range?: Range };
}

export type MountType = "bind" | "cache" | "tmpfs" | "secret" | "ssh";

export interface Mount {
  type: MountType;
  /** All options as written (keys lower-cased), e.g. { target: "/root/.cache", sharing: "locked" }. */
  options: Record<string, string>;
  target?: string;
  source?: string;
  /** `from=` stage name, index or image. */
  from?: string;
  id?: string;
  sharing?: "shared" | "private" | "locked";
  readonly?: boolean;
  required?: boolean;
  mode?: string;
  uid?: string;
  gid?: string;
  size?: string;
  /** secret mounts: expose as an environment variable. */
  env?: string;
  flag: Flag;
}

export interface ImageRef {
  /** As written (before expansion). */
  raw: string;
  /** e.g. "docker.io", "ghcr.io", "localhost:5000"; undefined when implicit. */
  registry?: string;
  /** e.g. "library/python" or "python" as written after the registry. */
  repository: string;
  tag?: string;
  digest?: string;
  /** `scratch` */
  scratch: boolean;
  /** Contains `$` (parsed best effort before expansion). */
  hasVariables: boolean;
}

export interface KeyValue {
  key: string;
  /** Value as written (quotes and escapes kept), BuildKit's AST value. */
  value: string;
  /** "=" for `K=V`, "" for the legacy `ENV K V` form. */
  sep: "=" | "";
  range: Range;
}

export interface ArgDecl {
  name: string;
  /** Default as written (quotes kept), undefined for `ARG NAME`. */
  defaultValue?: string;
  range: Range;
}

export interface ExposePort {
  raw: string;
  /** Undefined when the port is not a literal number (e.g. `$PORT`). */
  port?: number;
  /** Upper end of a range `8000-8010`. */
  endPort?: number;
  protocol: "tcp" | "udp" | "sctp" | string;
  range?: Range;
}

/** The command of CMD / ENTRYPOINT / RUN / HEALTHCHECK CMD / SHELL. */
export type CommandForm =
  | { form: "json"; args: string[] }
  | { form: "shell" /** Continuations joined, comments dropped (BuildKit's value). */; command: string };

// ---------------------------------------------------------------------------
// Instructions

export type InstructionKeyword =
  | "FROM"
  | "RUN"
  | "CMD"
  | "LABEL"
  | "MAINTAINER"
  | "EXPOSE"
  | "ENV"
  | "ADD"
  | "COPY"
  | "ENTRYPOINT"
  | "VOLUME"
  | "USER"
  | "WORKDIR"
  | "ARG"
  | "ONBUILD"
  | "STOPSIGNAL"
  | "HEALTHCHECK"
  | "SHELL";

interface InstructionBase {
  kind: "instruction";
  /** Upper-cased keyword. */
  keyword: InstructionKeyword;
  /** Keyword as written (case kept). */
  keywordRaw: string;
  flags: Flag[];
  /**
   * Argument text after keyword and flags, line continuations joined and
   * comment lines inside continuations dropped (BuildKit's value). Heredoc
   * markers stay in it; heredoc bodies are in `heredocs`.
   */
  args: string;
  heredocs: Heredoc[];
  /** Whole instruction: keyword through the end of its last line (heredoc bodies included). */
  range: Range;
  /** Exact source text including continuation lines, inner comments, heredoc bodies and the final newline. */
  raw?: string;
  /** Comment lines inside the instruction's continuation lines. */
  innerComments?: Comment[];
  /** Index of the stage this instruction belongs to; -1 for global ARGs before the first FROM; undefined inside ONBUILD. */
  stage?: number;
}

export interface FromInstruction extends InstructionBase {
  keyword: "FROM";
  /** Image or stage reference as written. */
  image: string;
  imageRef: ImageRef;
  /** Where the image reference is written. */
  imageRange?: Range;
  platform?: string;
  /** `AS name` as written (BuildKit compares stage names case-insensitively). */
  stageName?: string;
  stageNameRange?: Range;
}

export interface RunInstruction extends InstructionBase {
  keyword: "RUN";
  command: CommandForm;
  mounts: Mount[];
  network?: string;
  security?: string;
  /**
   * Parsed shell (shell form: the script; json form: nothing unless it runs
   * `sh -c`). Heredoc bodies of `RUN <<EOF` are included. Computed on first
   * read and cached (a getter); a copy made with `{ ...run, command: ... }`
   * keeps the old script, so make a changed RUN with `parseInstruction`.
   */
  shell: ShellScript;
}

export interface CopyLikeBase extends InstructionBase {
  form: "json" | "shell";
  /** Sources as written (heredoc markers appear as `<<EOF`). */
  sources: string[];
  dest: string;
  chown?: string;
  chmod?: string;
  link: boolean;
  exclude: string[];
  parents: boolean;
}

export interface CopyInstruction extends CopyLikeBase {
  keyword: "COPY";
  /** `--from=` stage name, stage index or image. */
  from?: string;
}

export interface AddInstruction extends CopyLikeBase {
  keyword: "ADD";
  keepGitDir: boolean;
  checksum?: string;
  unpack?: boolean;
}

export interface EnvInstruction extends InstructionBase {
  keyword: "ENV";
  pairs: KeyValue[];
}

export interface LabelInstruction extends InstructionBase {
  keyword: "LABEL";
  pairs: KeyValue[];
}

export interface ArgInstruction extends InstructionBase {
  keyword: "ARG";
  decls: ArgDecl[];
}

export interface UserInstruction extends InstructionBase {
  keyword: "USER";
  user: string;
  group?: string;
}

export interface WorkdirInstruction extends InstructionBase {
  keyword: "WORKDIR";
  path: string;
}

export interface ExposeInstruction extends InstructionBase {
  keyword: "EXPOSE";
  ports: ExposePort[];
}

export interface CmdInstruction extends InstructionBase {
  keyword: "CMD";
  command: CommandForm;
}

export interface EntrypointInstruction extends InstructionBase {
  keyword: "ENTRYPOINT";
  command: CommandForm;
}

export interface ShellInstruction extends InstructionBase {
  keyword: "SHELL";
  /** SHELL requires the JSON form. */
  shellArgs: string[];
}

export interface HealthcheckInstruction extends InstructionBase {
  keyword: "HEALTHCHECK";
  /** `HEALTHCHECK NONE` */
  none: boolean;
  interval?: string;
  timeout?: string;
  startPeriod?: string;
  startInterval?: string;
  retries?: number;
  command?: CommandForm;
}

export interface StopsignalInstruction extends InstructionBase {
  keyword: "STOPSIGNAL";
  signal: string;
}

export interface VolumeInstruction extends InstructionBase {
  keyword: "VOLUME";
  form: "json" | "shell";
  paths: string[];
}

export interface OnbuildInstruction extends InstructionBase {
  keyword: "ONBUILD";
  trigger: Instruction;
}

export interface MaintainerInstruction extends InstructionBase {
  keyword: "MAINTAINER";
  maintainer: string;
}

export type Instruction =
  | FromInstruction
  | RunInstruction
  | CopyInstruction
  | AddInstruction
  | EnvInstruction
  | LabelInstruction
  | ArgInstruction
  | UserInstruction
  | WorkdirInstruction
  | ExposeInstruction
  | CmdInstruction
  | EntrypointInstruction
  | ShellInstruction
  | HealthcheckInstruction
  | StopsignalInstruction
  | VolumeInstruction
  | OnbuildInstruction
  | MaintainerInstruction;

/** Narrowing helper: `isInstruction(n, "RUN")`. */
export type InstructionOf<K extends InstructionKeyword> = Extract<Instruction, { keyword: K }>;

// ---------------------------------------------------------------------------
// The file

export interface Stage {
  index: number;
  /** `AS name` as written. */
  name?: string;
  from: FromInstruction;
  /** Instructions after FROM up to the next FROM (FROM itself not included). */
  instructions: Instruction[];
  /** FROM through the last instruction of the stage. */
  range: Range;
}

export interface Dockerfile {
  file?: string;
  /** The escape character in effect (`\` or `` ` ``). */
  escape: "\\" | "`";
  directives: Directive[];
  /** Every top-level node in source order (lossless). */
  nodes: Node[];
  /** Top-level instructions in source order. */
  instructions: Instruction[];
  /** ARG instructions before the first FROM. */
  globalArgs: ArgInstruction[];
  stages: Stage[];
  /** Range of the whole file's content (first to last instruction), as BuildKit's root node. */
  range: Range;
  /** Problems that do not stop parsing: empty continuation lines; in lenient mode, bad flags. */
  warnings: { message: string; range: Range }[];
}

export interface ParseOptions {
  file?: string;
  /**
   * RUN scripts are always available as `RunInstruction.shell`; by default
   * they are parsed lazily on first access (a round trip never pays for the
   * shell parser). `shell: true` parses them eagerly.
   */
  shell?: boolean;
  /**
   * Strict (default): bad flags, flags an instruction does not take, invalid
   * stage names and bad mount options throw ParseError. Lenient (`false`):
   * they are recorded in `Dockerfile.warnings` instead (BuildKit's parser
   * itself accepts them; its instruction layer rejects them). Unknown
   * instructions and unparseable structure always throw.
   */
  strict?: boolean;
}

// ---------------------------------------------------------------------------
// Stage graph

export type StageEdgeKind = "from" | "copy" | "mount";

export interface StageEdge {
  kind: StageEdgeKind;
  /** The stage that depends (index). */
  from: number;
  /** The stage it depends on (index). */
  to: number;
  /** Where the dependency is written. */
  range: Range;
}

export interface StageInfo {
  index: number;
  name?: string;
  /** Base: another stage's index, or an external image reference (expanded). */
  base: { stage: number } | { image: string };
  /** Dependencies on other stages (FROM, COPY --from, RUN --mount=from). */
  deps: StageEdge[];
  /** External images used by COPY --from / RUN --mount=from (not stages). */
  externalImages: string[];
  /** Needed to build the target. */
  reachable: boolean;
  /** In the FROM ancestry of the target: its filesystem ends up in the final image. */
  reachesFinalImage: boolean;
  /** Reachable only through COPY --from / RUN --mount=from: contributes copied files only. */
  contributesFiles: boolean;
}

export interface StageGraph {
  stages: StageInfo[];
  /** Lower-cased stage name -> index. */
  byName: Record<string, number>;
  /** Index of the target stage (default: the last). */
  target: number;
  /** Reachable stage indexes in a valid build order (dependencies first). */
  order: number[];
  edges: StageEdge[];
}

export interface StageGraphOptions {
  target?: string;
  buildArgs?: Record<string, string>;
}

// ---------------------------------------------------------------------------
// Expansion

export interface ExpandOptions {
  /** `--build-arg` values; they override ARG defaults of declared ARGs. */
  buildArgs?: Record<string, string>;
  /** Values for BuildKit's automatic platform ARGs (TARGETPLATFORM, ...); defaults to linux/amd64. */
  platform?: string;
}

/** An instruction with the variables in scope before it and its expanded words. */
export interface ExpandedInstruction {
  instruction: Instruction;
  /** Variables visible to this instruction (ARGs declared in the stage and ENV), after overrides. */
  vars: Record<string, string>;
  /**
   * Expanded argument words for instructions BuildKit expands (FROM, COPY/ADD
   * sources+dest+flags, ENV/LABEL values, ARG defaults, USER, WORKDIR, EXPOSE,
   * STOPSIGNAL, VOLUME); undefined for RUN/CMD/ENTRYPOINT (the shell expands them at run time).
   */
  words?: string[];
  /** Variables referenced but not defined (BuildKit warns about these). */
  undefinedVars: string[];
}

export interface ExpandedStage {
  index: number;
  name?: string;
  /** FROM image after expansion with the global ARGs. */
  baseImage: string;
  platform?: string;
  instructions: ExpandedInstruction[];
  /** Variables in scope at the end of the stage. */
  vars: Record<string, string>;
  /** ENV variables at the end of the stage (what the image carries). */
  env: Record<string, string>;
}

export interface Expansion {
  /** Global ARG values (before the first FROM) after build-arg overrides. */
  globalArgs: Record<string, string>;
  stages: ExpandedStage[];
  /** Build args that no ARG declared (BuildKit warns). */
  unusedBuildArgs: string[];
}

/** Lookup used by expandWord; returns undefined for an unset variable. */
export type VarLookup = (name: string) => string | undefined;

export interface ExpandWordOptions {
  escape?: "\\" | "`";
  /** Throw on `${v:?msg}` errors (default true), otherwise leave text empty. */
  strict?: boolean;
  /** Collect the names of unset variables referenced. */
  onUndefined?: (name: string) => void;
}
