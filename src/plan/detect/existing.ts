/**
 * What an existing Dockerfile tells about the app: the final stage's command,
 * ports and healthcheck. Read through the frontend's parser, never by regex.
 */

import { expand } from "../../dockerfile/expand.js";
import type {
  CommandForm,
  Dockerfile,
  HealthcheckInstruction,
  Instruction,
  Stage,
  StageGraph,
} from "../../dockerfile/model.js";
import { parseDockerfile } from "../../dockerfile/parser.js";
import { buildStageGraph } from "../../dockerfile/stage-graph.js";
import { InputError, ParseError } from "../../errors.js";
import type { EntryPoint } from "../project.js";

/** Debugger ports: Node's inspector (9229, and 9230 for a second process). */
export const DEBUG_PORTS: ReadonlySet<number> = new Set([9229, 9230]);
export interface ExistingDockerfile {
  file: string;
  text: string;
  model: Dockerfile;
  entry?: EntryPoint;
  ports: number[];
  /** The base image of the final stage as written. */
  finalBase?: string;
  /** VOLUME paths of the final stage's chain, with their lines. */
  volumes: Array<{ path: string; line: number }>;
  /** The stage graph for the target (default: the last stage). */
  graph: StageGraph;
  /** The target stage's FROM ancestry, oldest first: the stages whose filesystem is the image. */
  chain: Stage[];
  /** `--target` as given. */
  target?: string;
  /** The app's own ENTRYPOINT (exec argv, init stripped) and CMD, apart. */
  entrypointArgv?: string[];
  cmdArgv?: string[];
  /** The target's WORKDIR, expanded (APP_HOME and the like resolved). */
  workdir?: string;
  /** ENV of the target at its end, expanded. */
  env: Record<string, string>;
  /** Set when a compose service's `command` replaced the CMD: the container ports that service publishes. */
  composeRun?: { service: string; ports: number[] };
}

/** Splits a plain shell command into words when it has no shell syntax; undefined otherwise. */
export function splitSimpleShell(command: string): string[] | undefined {
  if (/[|&;<>()$`*?\\]/.test(command)) return undefined;
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const m of command.matchAll(re)) words.push(m[1] ?? m[2] ?? m[3] ?? "");
  return words.length > 0 ? words : undefined;
}

function argv(cmd: CommandForm): string[] {
  if (cmd.form === "json") return cmd.args;
  return splitSimpleShell(cmd.command) ?? ["/bin/sh", "-c", cmd.command];
}

function finalStage(df: Dockerfile): Stage | undefined {
  return df.stages[df.stages.length - 1];
}

/** The stage chain (FROM ancestry) of the target stage, nearest last. */
function ancestry(df: Dockerfile, target: number): Stage[] {
  const chain: Stage[] = [];
  let s = df.stages[target] ?? finalStage(df);
  const seen = new Set<number>();
  while (s && !seen.has(s.index)) {
    seen.add(s.index);
    chain.unshift(s);
    const base = s.from.image.toLowerCase();
    s = df.stages.find((o) => o.index < (s?.index ?? 0) && o.name?.toLowerCase() === base);
  }
  return chain;
}

/** An init in front of the app (tini, dumb-init): the app's command is what follows it. */
function withoutInit(argv: string[]): string[] {
  const name = (argv[0] ?? "").split("/").pop() ?? "";
  if (!/^(tini|tini-static|dumb-init|docker-init)$/.test(name)) return argv;
  let i = 1;
  while (i < argv.length && argv[i]?.startsWith("-")) {
    if (argv[i] === "--") {
      i++;
      break;
    }
    i++;
  }
  return argv.slice(i);
}

export function readExistingDockerfile(text: string, file: string, target?: string): ExistingDockerfile {
  const model = parseDockerfile(text, { file, shell: false });
  let graph: StageGraph;
  try {
    graph = buildStageGraph(model, target !== undefined ? { target } : {});
  } catch (e) {
    if (target !== undefined && e instanceof ParseError && /target stage/.test(e.message)) {
      const names = model.stages.map((s) => s.name).filter(Boolean);
      throw new InputError(`--target ${target}: ${file} has no stage of that name`, {
        location: { file, line: 1, column: 1 },
        hint: names.length > 0 ? `its stages are ${names.join(", ")}` : "its stages have no names",
      });
    }
    throw e;
  }
  const chain = ancestry(model, graph.target);
  const exp = expand(model);
  const targetStage = exp.stages[graph.target];
  const out: ExistingDockerfile = {
    file,
    text,
    model,
    ports: [],
    volumes: [],
    graph,
    chain,
    env: { ...(targetStage?.env ?? {}) },
  };
  if (target !== undefined) out.target = target;
  for (const st of chain) {
    for (const [i, ins] of st.instructions.entries()) {
      if (ins.keyword !== "WORKDIR") continue;
      const words = exp.stages[st.index]?.instructions[i]?.words;
      const w = words?.[0] ?? ins.path;
      out.workdir = w.startsWith("/") || !out.workdir ? w : `${out.workdir.replace(/\/$/, "")}/${w}`;
    }
  }
  let entrypoint: { ins: Instruction; argv: string[] } | undefined;
  let cmd: { ins: Instruction; argv: string[] } | undefined;
  for (const st of chain) {
    for (const [i, ins] of st.instructions.entries()) {
      if (ins.keyword === "ENTRYPOINT") {
        entrypoint = { ins, argv: argv(ins.command) };
        cmd = undefined; // ENTRYPOINT resets an inherited CMD
      } else if (ins.keyword === "CMD") cmd = { ins, argv: argv(ins.command) };
      else if (ins.keyword === "VOLUME") {
        for (const v of ins.paths) out.volumes.push({ path: v, line: ins.range.start.line });
      } else if (ins.keyword === "EXPOSE") {
        // Expanded, as WORKDIR above: `ARG PORT=80` + `EXPOSE $PORT` exposes 80.
        const words = exp.stages[st.index]?.instructions[i]?.words ?? ins.ports.map((p) => p.raw);
        for (const w of words) {
          const port = /^(\d+)(?:-\d+)?(?:\/\w+)?$/.exec(w)?.[1];
          if (port !== undefined && !out.ports.includes(Number(port))) out.ports.push(Number(port));
        }
      }
    }
  }
  // Node's inspector ports (`EXPOSE $PORT 9229 9230` in dev-friendly Dockerfiles) are never the app's: last.
  out.ports.sort((a, b) => Number(DEBUG_PORTS.has(a)) - Number(DEBUG_PORTS.has(b)));
  const last = chain[chain.length - 1];
  if (last) out.finalBase = last.from.image;
  const ep = withoutInit(entrypoint?.argv ?? []);
  if (ep.length > 0) out.entrypointArgv = ep;
  if (cmd) out.cmdArgv = entrypoint && ep.length > 0 ? cmd.argv : withoutInit(cmd.argv);
  const parts = withoutInit([...(entrypoint?.argv ?? []), ...(cmd?.argv ?? [])]);
  const where = cmd ?? entrypoint;
  if (parts.length > 0 && where) {
    out.entry = {
      argv: parts,
      source: `${entrypoint && cmd ? "ENTRYPOINT + CMD" : where.ins.keyword} in ${file}:${where.ins.range.start.line}`,
    };
  }
  return out;
}

/** Words a check runs as they are, with no shell: no expansions, operators or spaces. */
const PLAIN_WORDS = /^[\w@%+=:,./ -]+$/;

/**
 * The final stage's HEALTHCHECK (the last of its chain) and, when its command is plain words
 * (`CMD node healthcheck.js`, `CMD ["python", "check.py"]`), those words: what can run without a
 * shell, in any tier.
 */
export function finalHealthcheck(
  existing: ExistingDockerfile,
): { ins: HealthcheckInstruction; argv?: string[] } | undefined {
  let found: HealthcheckInstruction | undefined;
  for (const st of existing.chain)
    for (const ins of st.instructions) if (ins.keyword === "HEALTHCHECK") found = ins;
  if (!found) return undefined;
  const c = found.command;
  if (found.none || !c) return { ins: found };
  const argv = c.form === "json" ? c.args : splitSimpleShell(c.command);
  return argv && argv.length > 0 && argv.every((a) => PLAIN_WORDS.test(a) && !a.includes(" "))
    ? { ins: found, argv }
    : { ins: found };
}
