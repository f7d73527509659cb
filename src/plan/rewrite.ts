/**
 * Rewriting an existing Dockerfile. The generated plan replaces the build
 * mechanics (stages, installs, copies, user, command), while the app-specific
 * parts of the old final stage are carried into the new runtime stage through
 * the frontend's model and printer, byte for byte with the comments above
 * them: ENV and LABEL values, ARGs, VOLUME, STOPSIGNAL, extra EXPOSEd ports
 * and RUN steps that are not package installs. Every replaced or kept
 * instruction gets one explanation with its line in the old file.
 */
import type { Comment, Dockerfile, Instruction, Node, Stage } from "../dockerfile/model.js";
import { dockerfileFromNodes, parseDockerfile, parseInstruction } from "../dockerfile/parser.js";
import { printDockerfile, printInstruction } from "../dockerfile/printer.js";
import type { ExistingDockerfile } from "./detect/existing.js";
import type { Project } from "./project.js";
import { type Decision, execForm, type PlannedFiles } from "./templates/text.js";

export interface RewriteResult {
  dockerfile: string;
  decisions: Decision[];
  /** App RUN steps kept in the runtime stage: they need a shell, so the distroless tier cannot hold them. */
  keptRunSteps: number;
}

/** ENV keys the generated runtime sets itself. */
const MANAGED_ENV = new Set([
  "PATH",
  "VIRTUAL_ENV",
  "PYTHONDONTWRITEBYTECODE",
  "PYTHONUNBUFFERED",
  "NODE_ENV",
  "PIP_NO_CACHE_DIR",
  "PIP_DISABLE_PIP_VERSION_CHECK",
  "PIP_NO_COMPILE",
]);

/** Debug switches of the frameworks: a production image leaves them out. */
function isDevSetting(p: { key: string; value: string }): boolean {
  const v = p.value.replace(/^["']|["']$/g, "").toLowerCase();
  if (/^(FLASK_DEBUG|DJANGO_DEBUG|DEBUG|FASTAPI_DEBUG)$/.test(p.key)) return /^(1|true|yes|on)$/.test(v);
  if (/^(FLASK_ENV|APP_ENV|PYTHON_ENV)$/.test(p.key)) return v === "development";
  if (p.key === "NODE_ENV") return v === "development";
  return false;
}

/** RUN steps that install packages or users: the plan does these its own way. */
const INSTALL_RUN =
  /\b(apt-get|apt|apk|yum|dnf|pip3?|python[0-9.]*\s+-m\s+(pip|venv)|virtualenv|poetry|pipenv|uv|pdm|npm|yarn|pnpm|corepack|useradd|adduser|groupadd|addgroup|pytest|tsc|run build|run test)\b/;

function line(ins: Instruction): number {
  return ins.range.start.line;
}

function oneLine(ins: Instruction): string {
  const t = printInstruction(ins)
    .replace(/\\\r?\n\s*/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return t.length > 90 ? `${t.slice(0, 87)}...` : t;
}

/** The final stage and its FROM ancestry, oldest first. */
function finalChain(df: Dockerfile): Stage[] {
  const chain: Stage[] = [];
  let s: Stage | undefined = df.stages[df.stages.length - 1];
  const seen = new Set<number>();
  while (s && !seen.has(s.index)) {
    seen.add(s.index);
    chain.unshift(s);
    const base = s.from.image.toLowerCase();
    const idx: number = s.index;
    s = df.stages.find((o) => o.index < idx && o.name?.toLowerCase() === base);
  }
  return chain;
}

/** Comment nodes directly above an instruction (no blank line in between). */
function leadingComments(df: Dockerfile, ins: Instruction): Comment[] {
  const i = df.nodes.indexOf(ins);
  const out: Comment[] = [];
  for (let j = i - 1; j >= 0; j--) {
    const n = df.nodes[j] as Node;
    if (n.kind !== "comment") break;
    out.unshift(n);
  }
  return out;
}

/** A new comment line (no raw text: the printer renders it). */
function commentNode(text: string): Comment {
  const at = { line: 0, column: 0, offset: 0 };
  return { kind: "comment", text, range: { start: at, end: at } };
}

export function rewriteDockerfile(
  existing: ExistingDockerfile,
  plan: PlannedFiles,
  project: Project,
): RewriteResult {
  const old = existing.model;
  const file = existing.file;
  const decisions: Decision[] = [];
  const keep: Node[] = [];
  let keptRunSteps = 0;
  const finalStages = new Set(finalChain(old).map((s) => s.index));

  for (const stage of old.stages) {
    const isFinal = finalStages.has(stage.index);
    decisions.push({
      topic: "rewrite",
      text: `${file}:${line(stage.from)} ${oneLine(stage.from)}: replaced by the generated stages (deps${plan.testStage ? ", test" : ""}, runtime on ${plan.tier === "distroless" ? "scratch" : "the slim base"})`,
    });
    for (const ins of stage.instructions) {
      const at = `${file}:${line(ins)}`;
      const withComments = (n: Instruction) => {
        keep.push(...leadingComments(old, n), n);
      };
      switch (ins.keyword) {
        case "ENV": {
          if (!isFinal) break;
          const dev = ins.pairs.filter(isDevSetting);
          const pairs = ins.pairs.filter((p) => !MANAGED_ENV.has(p.key) && !isDevSetting(p));
          if (dev.length > 0) {
            decisions.push({
              topic: "rewrite",
              text: `${at}: ${dev.map((p) => `${p.key}=${p.value}`).join(" ")} is a development setting (debugger, reloader): left out of the production image`,
            });
          }
          if (pairs.length === ins.pairs.length) {
            withComments(ins);
            decisions.push({ topic: "kept", text: `${at} ${oneLine(ins)}: kept in the runtime stage` });
          } else if (pairs.length > 0) {
            keep.push(
              ...leadingComments(old, ins),
              parseInstruction(`ENV ${pairs.map((p) => `${p.key}=${p.value}`).join(" ")}`),
            );
            decisions.push({
              topic: "kept",
              text: `${at} ${oneLine(ins)}: kept without ${ins.pairs
                .filter((p) => MANAGED_ENV.has(p.key) || isDevSetting(p))
                .map((p) => p.key)
                .join(", ")} (set by the generated runtime, or development settings)`,
            });
          } else {
            decisions.push({
              topic: "rewrite",
              text: `${at} ${oneLine(ins)}: the generated runtime sets these variables itself`,
            });
          }
          break;
        }
        case "LABEL":
        case "VOLUME":
        case "STOPSIGNAL":
        case "ARG":
          if (isFinal) {
            withComments(ins);
            decisions.push({ topic: "kept", text: `${at} ${oneLine(ins)}: kept in the runtime stage` });
          }
          break;
        case "EXPOSE": {
          const extra = ins.ports.filter((p) => p.port !== undefined && p.port !== project.port);
          if (isFinal && extra.length > 0) {
            keep.push(parseInstruction(`EXPOSE ${extra.map((p) => p.raw).join(" ")}`));
            decisions.push({ topic: "kept", text: `${at} ${oneLine(ins)}: the extra ports are kept` });
          } else
            decisions.push({
              topic: "rewrite",
              text: `${at} ${oneLine(ins)}: EXPOSE ${project.port ?? "(no port)"} in the runtime stage`,
            });
          break;
        }
        case "RUN": {
          const text = ins.command.form === "json" ? ins.command.args.join(" ") : ins.command.command;
          if (INSTALL_RUN.test(text)) {
            decisions.push({
              topic: "rewrite",
              text: `${at} ${oneLine(ins)}: replaced by the generated ${/pytest|npm (run )?test/.test(text) ? "test stage" : "install steps (isolated prefix, cache mounts, no toolchain in the runtime)"}`,
            });
          } else if (isFinal) {
            withComments(ins);
            keptRunSteps++;
            decisions.push({
              topic: "kept",
              text: `${at} ${oneLine(ins)}: an app step, kept in the runtime stage (runs as root before USER)`,
            });
          } else {
            decisions.push({
              topic: "dropped",
              text: `${at} ${oneLine(ins)}: a builder step slimstage does not know; not carried over, add it to the deps stage if the app needs it`,
            });
          }
          break;
        }
        case "COPY":
        case "ADD":
          decisions.push({
            topic: "rewrite",
            text: isFinal
              ? `${at} ${oneLine(ins)}: replaced by copies of the prefix and ${project.appPaths.join(", ") || "the app"}${plan.testStage ? " from the tested stages" : ""}`
              : `${at} ${oneLine(ins)}: done by the generated deps${plan.testStage ? " and test" : ""} stages`,
          });
          break;
        case "CMD":
        case "ENTRYPOINT":
          if (isFinal)
            decisions.push({
              topic: "rewrite",
              text: `${at} ${oneLine(ins)}: CMD ${execForm(project.entry.argv)} (exec form, PID 1)`,
            });
          break;
        case "USER":
          if (isFinal)
            decisions.push({
              topic: "rewrite",
              text: `${at} ${oneLine(ins)}: the generated runtime runs as its own non-root user`,
            });
          break;
        case "HEALTHCHECK":
          if (isFinal && !/^HEALTHCHECK /m.test(plan.dockerfile) && plan.tier === "slim") {
            withComments(ins);
            decisions.push({
              topic: "kept",
              text: `${at} ${oneLine(ins)}: kept (no probe was given to generate one)`,
            });
          } else if (isFinal)
            decisions.push({
              topic: "rewrite",
              text: `${at} ${oneLine(ins)}: replaced by the generated HEALTHCHECK or dropped (no shell in distroless)`,
            });
          break;
        default:
          break;
      }
    }
  }

  const generated = parseDockerfile(plan.dockerfile, { file: "generated Dockerfile", shell: false });
  const runtime = generated.stages[generated.stages.length - 1];
  const nodes: Node[] = [];
  // The old file's header comments stay at the top.
  const firstIns = old.nodes.findIndex((n) => n.kind === "instruction");
  const before = old.nodes.slice(0, Math.max(0, firstIns));
  // Comments touching the first FROM describe that stage, which is replaced: keep only the file's own header.
  let end = before.length;
  while (end > 0 && before[end - 1]?.kind === "comment") end--;
  const header = before.slice(0, end).filter((n) => n.kind === "comment" || n.kind === "blank");
  if (header.some((n) => n.kind === "comment")) {
    nodes.push(...header);
    if (header[header.length - 1]?.kind !== "blank") nodes.push(commentNode(""));
  }
  const userIns = runtime?.instructions.find((i) => i.keyword === "USER");
  const anchor = userIns ?? runtime?.instructions.find((i) => i.keyword === "CMD");
  for (const n of generated.nodes) {
    if (n === anchor && keep.length > 0) {
      nodes.push(commentNode(` kept from ${file}: app-specific settings and steps`));
      for (const k of keep) nodes.push(k);
    }
    nodes.push(n);
  }
  const df = dockerfileFromNodes(nodes, { file: "Dockerfile" });
  return { dockerfile: printDockerfile(df), decisions, keptRunSteps };
}
