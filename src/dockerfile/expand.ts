/**
 * ARG/ENV expansion as BuildKit does it: global ARGs before the first FROM
 * (usable in FROM; inside a stage only when redeclared), per-stage scope,
 * ENV over ARG, build-arg overrides, ENV of a parent stage inherited by
 * `FROM <stage>`. A pure function over the model: nothing is mutated.
 */
import { LimitError, ParseError } from "../errors.js";
import { DOCKERFILE_LIMITS } from "./limits.js";
import type {
  Dockerfile,
  ExpandedInstruction,
  ExpandedStage,
  ExpandOptions,
  ExpandWordOptions,
  Expansion,
  Instruction,
  VarLookup,
} from "./model.js";
import { LexError, LexLimitError, lexWord } from "./shell-lex.js";

/** BuildKit's ProcessWord: quote removal, escapes, `$v`, `${v:-d}`, `${v:+a}`, `${v:?e}`, `${v#p}`, `${v%p}`, `${v/p/r}`. */
export function expandWord(word: string, lookup: VarLookup, opts: ExpandWordOptions = {}): string {
  try {
    const r = lexWord(word, lookup, { escapeToken: opts.escape ?? "\\" });
    if (opts.onUndefined) for (const name of r.unmatched) opts.onUndefined(name);
    return r.result;
  } catch (e) {
    if (!(e instanceof LexError)) throw e;
    if (e instanceof LexLimitError) throw new LimitError(e.message);
    if (opts.strict === false) return word;
    throw new ParseError(e.message);
  }
}

/** BuildKit's automatic platform ARGs. */
export function platformArgs(platform = "linux/amd64"): Record<string, string> {
  const [os = "linux", arch = "amd64", variant = ""] = platform.split("/");
  return {
    TARGETPLATFORM: platform,
    TARGETOS: os,
    TARGETARCH: arch,
    TARGETVARIANT: variant,
    BUILDPLATFORM: platform,
    BUILDOS: os,
    BUILDARCH: arch,
    BUILDVARIANT: variant,
  };
}

function located(e: unknown, ins: Instruction, file: string | undefined): unknown {
  if (!(e instanceof ParseError) || e.location) return e;
  const firstLine = (ins.raw ?? "").split(/\r?\n/)[0] ?? "";
  const Ctor = e instanceof LimitError ? LimitError : ParseError;
  return new Ctor(e.message, {
    location: { line: ins.range.start.line, column: ins.range.start.column, ...(file ? { file } : {}) },
    sourceLine: firstLine,
  });
}

export function expand(df: Dockerfile, opts: ExpandOptions = {}): Expansion {
  const buildArgs = opts.buildArgs ?? {};
  // Each word is capped by the lexer; this caps their sum (many lines each expanding a large value).
  let total = 0;
  const counted = (s: string): string => {
    total += s.length;
    if (total > DOCKERFILE_LIMITS.maxExpandedTotal)
      throw new LimitError(
        `expanded values exceed ${DOCKERFILE_LIMITS.maxExpandedTotal} characters in total (the limit for one Dockerfile)`,
      );
    return s;
  };
  const auto = platformArgs(opts.platform);
  const esc = df.escape;
  const declared = new Set<string>();
  const globalArgs: Record<string, string> = {};
  const globalDeclared = new Set<string>();
  for (const ins of df.globalArgs) {
    for (const d of ins.decls) {
      declared.add(d.name);
      globalDeclared.add(d.name);
      const lookup: VarLookup = (n) => globalArgs[n] ?? auto[n];
      let value: string | undefined = buildArgs[d.name];
      try {
        if (value === undefined && d.defaultValue !== undefined)
          value = counted(expandWord(d.defaultValue, lookup, { escape: esc }));
      } catch (e) {
        throw located(e, ins, df.file);
      }
      if (value !== undefined) globalArgs[d.name] = value;
    }
  }
  const metaLookup: VarLookup = (n) => globalArgs[n] ?? auto[n];
  const stages: ExpandedStage[] = [];
  const envByName = new Map<string, Record<string, string>>();
  for (const stage of df.stages) {
    let baseImage: string;
    let platform: string | undefined;
    try {
      baseImage = expandWord(stage.from.image, metaLookup, { escape: esc });
      if (stage.from.platform !== undefined)
        platform = expandWord(stage.from.platform, metaLookup, { escape: esc });
    } catch (e) {
      throw located(e, stage.from, df.file);
    }
    const parentEnv = envByName.get(baseImage.toLowerCase());
    const env: Record<string, string> = { ...(parentEnv ?? {}) };
    const args: Record<string, string> = {};
    const lookup: VarLookup = (n) => env[n] ?? args[n];
    const out: ExpandedInstruction[] = [];
    for (const ins of stage.instructions) {
      const undefinedVars = new Set<string>();
      const wopts: ExpandWordOptions = { escape: esc, onUndefined: (n) => undefinedVars.add(n) };
      const x = (w: string) => counted(expandWord(w, lookup, wopts));
      const vars = { ...args, ...env };
      let words: string[] | undefined;
      try {
        switch (ins.keyword) {
          case "ARG":
            words = [];
            for (const d of ins.decls) {
              declared.add(d.name);
              let value: string | undefined = buildArgs[d.name];
              if (value === undefined && d.defaultValue !== undefined) value = x(d.defaultValue);
              if (value === undefined && globalDeclared.has(d.name)) value = globalArgs[d.name];
              if (value === undefined) value = auto[d.name];
              words.push(value === undefined ? d.name : `${d.name}=${value}`);
              if (value !== undefined) args[d.name] = value;
            }
            break;
          case "ENV": {
            // Every value is expanded against the environment before this instruction.
            const values = ins.pairs.map((p) => x(p.value));
            words = [];
            ins.pairs.forEach((p, i) => {
              env[p.key] = values[i] as string;
              (words as string[]).push(`${p.key}=${values[i]}`);
            });
            break;
          }
          case "LABEL":
            words = ins.pairs.map((p) => `${x(p.key)}=${x(p.value)}`);
            break;
          case "COPY":
          case "ADD":
            words = [...ins.sources, ins.dest].map(x);
            break;
          case "USER":
          case "WORKDIR":
          case "STOPSIGNAL":
            words = [x(ins.args)];
            break;
          case "EXPOSE":
            words = ins.ports.map((p) => x(p.raw));
            break;
          case "VOLUME":
            words = ins.paths.map(x);
            break;
          default:
            break;
        }
      } catch (e) {
        throw located(e, ins, df.file);
      }
      const ei: ExpandedInstruction = { instruction: ins, vars, undefinedVars: [...undefinedVars] };
      if (words !== undefined) ei.words = words;
      out.push(ei);
    }
    const st: ExpandedStage = {
      index: stage.index,
      baseImage,
      instructions: out,
      vars: { ...args, ...env },
      env: { ...env },
    };
    if (stage.name !== undefined) {
      st.name = stage.name;
      envByName.set(stage.name.toLowerCase(), env);
    }
    if (platform !== undefined) st.platform = platform;
    stages.push(st);
  }
  const unusedBuildArgs = Object.keys(buildArgs).filter((k) => !declared.has(k));
  return { globalArgs, stages, unusedBuildArgs };
}
