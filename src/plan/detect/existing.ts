/**
 * What an existing Dockerfile tells about the app: the final stage's command,
 * ports and healthcheck. Read through the frontend's parser, never by regex.
 */

import type { CommandForm, Dockerfile, Instruction, Stage } from "../../dockerfile/model.js";
import { parseDockerfile } from "../../dockerfile/parser.js";
import type { EntryPoint } from "../project.js";

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

/** The stage chain (FROM ancestry) of the final stage, nearest last. */
function ancestry(df: Dockerfile): Stage[] {
  const chain: Stage[] = [];
  let s = finalStage(df);
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

export function readExistingDockerfile(text: string, file: string): ExistingDockerfile {
  const model = parseDockerfile(text, { file, shell: false });
  const out: ExistingDockerfile = { file, text, model, ports: [], volumes: [] };
  const chain = ancestry(model);
  let entrypoint: { ins: Instruction; argv: string[] } | undefined;
  let cmd: { ins: Instruction; argv: string[] } | undefined;
  for (const st of chain) {
    for (const ins of st.instructions) {
      if (ins.keyword === "ENTRYPOINT") {
        entrypoint = { ins, argv: argv(ins.command) };
        cmd = undefined; // ENTRYPOINT resets an inherited CMD
      } else if (ins.keyword === "CMD") cmd = { ins, argv: argv(ins.command) };
      else if (ins.keyword === "VOLUME") {
        for (const v of ins.paths) out.volumes.push({ path: v, line: ins.range.start.line });
      } else if (ins.keyword === "EXPOSE") {
        for (const p of ins.ports)
          if (p.port !== undefined && !out.ports.includes(p.port)) out.ports.push(p.port);
      }
    }
  }
  const last = chain[chain.length - 1];
  if (last) out.finalBase = last.from.image;
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
