/**
 * Rewriting an existing Dockerfile. The generated plan replaces the build
 * mechanics (stages, installs, copies, user, command), while the app-specific
 * parts of the old final stage are carried into the new runtime stage through
 * the frontend's model and printer, byte for byte with the comments above
 * them: ENV and LABEL values, ARGs, VOLUME, STOPSIGNAL, extra EXPOSEd ports
 * and RUN steps that are not package installs. Every replaced or kept
 * instruction gets one explanation with its line in the old file.
 */
import type {
  Comment,
  Dockerfile,
  EnvInstruction,
  HealthcheckInstruction,
  Instruction,
  Node,
  RunInstruction,
  ShellScript,
  Stage,
} from "../dockerfile/model.js";
import { dockerfileFromNodes, parseDockerfile, parseInstruction } from "../dockerfile/parser.js";
import { printDockerfile, printInstruction } from "../dockerfile/printer.js";
import { DEBUG_PORTS, type ExistingDockerfile, finalHealthcheck } from "./detect/existing.js";
import { languageOf } from "./languages/index.js";
import type { Project } from "./project.js";
import { createdFolders, foldersOnlyStep, handedFoldersOf, ownershipStep } from "./rewrite-ownership.js";
import {
  aptPackages,
  imageFamily,
  isKnownProgramPackage,
  judgePackages,
  plainRun,
  rootImage,
} from "./rewrite-parts.js";
import { emptyFolderCopy } from "./templates/production.js";
import { type Decision, execForm, type PlannedFiles } from "./templates/text.js";

export interface RewriteOptions {
  /** The `# syntax=` frontend image is available to the engine: keep the line and the heredocs. */
  frontendAvailable?: boolean;
  /** Text of the app's entrypoint script, read to tell which runtime packages it uses. */
  entrypointText?: string;
  /** The compose service's healthcheck, run inside the container: the programs it calls must stay. */
  healthcheckText?: string;
}

export interface RewriteResult {
  dockerfile: string;
  decisions: Decision[];
  /** App RUN steps kept in the runtime stage: they need a shell, so the distroless tier cannot hold them. */
  keptRunSteps: number;
  /** Debian packages of the old final stage that the runtime keeps (slim tier only). */
  keptPackages: string[];
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

/** Another distribution's package manager: its packages are not the Debian runtime's. */
const FOREIGN_PACKAGES = /^\s*(apk|yum|dnf|microdnf|zypper)\s+(add|install)\b/;

/** A RUN made only of `export`s: they last for that RUN's shell, so nothing after it sees them. */
function onlyExports(shell: ShellScript): boolean {
  // A substitution in a value runs a command the parser does not list apart (`export A=$(make)`): kept.
  return (
    !shell.error &&
    shell.commands.length > 0 &&
    shell.commands.every(
      (c) =>
        c.name === "export" &&
        c.args.length > 0 &&
        c.args.every((a) => /^[A-Za-z_][A-Za-z0-9_]*(=.*)?$/s.test(a) && !/\$\(|`/.test(a)),
    )
  );
}

/** Steps that make users and groups: the generated runtime makes its own. */
const USER_RUN = /\b(useradd|adduser|groupadd|addgroup)\b/;
const USER_RUN_ALL = /\b(useradd|adduser|groupadd|addgroup)\b/g;

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

/** Stages the target copies files from that are not built by the project's language (a frontend build): kept whole. */
function foreignStages(existing: ExistingDockerfile, project: Project): Set<number> {
  const out = new Set<number>();
  const chain = new Set(existing.chain.map((s) => s.index));
  for (const st of existing.model.stages) {
    if (chain.has(st.index) || !existing.graph.stages[st.index]?.reachable) continue;
    const fam = imageFamily(rootImage(existing, st));
    if (fam !== undefined && fam !== project.kind) out.add(st.index);
  }
  // Stages those stages need come along.
  for (const i of [...out])
    for (const e of existing.graph.stages[i]?.deps ?? []) if (!chain.has(e.to)) out.add(e.to);
  return out;
}

/** What the rewrite's passes read, and what they collect for the new file. */
interface RewriteState {
  existing: ExistingDockerfile;
  plan: PlannedFiles;
  project: Project;
  opts: RewriteOptions;
  old: Dockerfile;
  file: string;
  decisions: Decision[];
  /** Instructions (with their comments) carried into the runtime stage. */
  keep: Node[];
  /** Whole stages of another language, kept above the generated ones. */
  keptStages: Node[];
  keptRunSteps: number;
  /** The text of each kept RUN step: what the runtime packages are judged against. */
  keptRunTexts: string[];
  /** Folders the kept RUN steps make with mkdir (they may fill them as root). */
  keptCreated: string[];
  /** The old file's own HEALTHCHECK in exec form, in place of the generated one (ownRuntimeHealthcheck). */
  healthcheck?: string;
  /** The folders the old chain's set-up steps hand to a user, read once (handedFoldersOf). */
  handed: Array<{ path: string; line: number }>;
  /** Package installs of the old final stage, judged once everything else is known. */
  /** Package installs of the final stage; `foreign` names another distribution's package manager (apk). */
  packageRuns: Array<{ ins: Instruction; packages: string[]; foreign?: string }>;
  foreign: Set<number>;
  /** The indexes and names of the kept foreign stages, as COPY --from names them. */
  foreignNames: Set<string>;
  targetName: string;
}

export function rewriteDockerfile(
  existing: ExistingDockerfile,
  plan: PlannedFiles,
  project: Project,
  opts: RewriteOptions = {},
): RewriteResult {
  const old = existing.model;
  const foreign = foreignStages(existing, project);
  const s: RewriteState = {
    existing,
    plan,
    project,
    opts,
    old,
    file: existing.file,
    decisions: [],
    keep: [],
    keptStages: [],
    keptRunSteps: 0,
    keptRunTexts: [],
    keptCreated: [],
    handed: handedFoldersOf(existing),
    packageRuns: [],
    foreign,
    foreignNames: new Set(
      [...foreign].flatMap((i) => [String(i), old.stages[i]?.name?.toLowerCase() ?? String(i)]),
    ),
    targetName: old.stages[existing.graph.target]?.name ?? `stage ${existing.graph.target}`,
  };

  const finalStages = new Set(existing.chain.map((st) => st.index));
  for (const stage of old.stages) rewriteStage(s, stage, finalStages.has(stage.index));
  const keptPackages = judgeRuntimePackages(s);
  const df = dockerfileFromNodes(assembleNodes(s), { file: "Dockerfile" });
  return {
    dockerfile: printDockerfile(df),
    decisions: s.decisions,
    keptRunSteps: s.keptRunSteps + (keptPackages.length > 0 ? 1 : 0),
    keptPackages,
  };
}

/** One stage of the old file: left alone (unreachable), kept whole (foreign), or replaced instruction by instruction. */
function rewriteStage(s: RewriteState, stage: Stage, isFinal: boolean): void {
  const { existing, file, decisions, plan } = s;
  const reachable = existing.graph.stages[stage.index]?.reachable ?? false;
  if (!reachable) {
    decisions.push({
      topic: "dropped",
      text: `${file}:${line(stage.from)} ${oneLine(stage.from)}: not part of the ${existing.target ? "target" : "final"} stage ${s.targetName}'s build graph: left alone, none of its steps is carried over`,
    });
    return;
  }
  if (s.foreign.has(stage.index)) {
    keepForeignStage(s, stage);
    return;
  }
  decisions.push({
    topic: "rewrite",
    text: `${file}:${line(stage.from)} ${oneLine(stage.from)}: replaced by the generated stages (deps${plan.testStage ? ", test" : ""}, runtime on ${plan.tier === "distroless" ? "scratch" : "the slim base"})`,
  });
  for (const ins of stage.instructions) rewriteInstruction(s, ins, isFinal);
}

/** A stage of another language the target copies from (a frontend build): kept whole. */
function keepForeignStage(s: RewriteState, stage: Stage): void {
  const { old, file, decisions, keptStages, opts } = s;
  for (const n of [...leadingComments(old, stage.from), stage.from]) keptStages.push(n);
  for (const ins of stage.instructions) {
    const plain = opts.frontendAvailable ? undefined : plainRun(ins);
    keptStages.push(...leadingComments(old, ins), plain ? parseInstruction(plain) : ins);
    if (plain)
      decisions.push({
        topic: "rewrite",
        text: `${file}:${line(ins)} ${oneLine(ins)}: the heredoc became a plain RUN (its script fed to sh), since the frontend that parses heredocs cannot be pulled here`,
      });
  }
  keptStages.push(commentNode(""));
  decisions.push({
    topic: "kept",
    text: `${file}:${line(stage.from)} ${oneLine(stage.from)}: kept whole: ${s.targetName} copies files from it and it is not a ${s.project.kind} dependency build`,
  });
}

/** Carries an instruction into the runtime stage with the comments above it (a heredoc made plain when it must be). */
function keepInstruction(s: RewriteState, n: Instruction, at: string): void {
  const plain = s.opts.frontendAvailable ? undefined : plainRun(n);
  s.keep.push(...leadingComments(s.old, n), plain ? parseInstruction(plain) : n);
  if (plain)
    s.decisions.push({
      topic: "rewrite",
      text: `${at}: its heredoc became a plain RUN (the script fed to sh), since the frontend that parses heredocs cannot be pulled here`,
    });
}

/** One instruction of a replaced stage: kept in the runtime stage, or explained as replaced or dropped. */
function rewriteInstruction(s: RewriteState, ins: Instruction, isFinal: boolean): void {
  const { existing, decisions, plan, project } = s;
  const at = `${s.file}:${line(ins)}`;
  switch (ins.keyword) {
    case "ENV":
      if (isFinal) rewriteEnv(s, ins, at);
      break;
    case "LABEL":
    case "VOLUME":
    case "STOPSIGNAL":
    case "ARG":
      if (isFinal) {
        keepInstruction(s, ins, at);
        decisions.push({ topic: "kept", text: `${at} ${oneLine(ins)}: kept in the runtime stage` });
      }
      break;
    case "EXPOSE": {
      // Node's inspector ports stay only when the entry point starts the inspector.
      const runs = [...project.entry.argv, ...(existing.entrypointArgv ?? []), ...(existing.cmdArgv ?? [])];
      const inspects = runs.some((a) => /^--inspect(-brk)?(=|$)/.test(a));
      const debug = ins.ports.filter((p) => p.port !== undefined && DEBUG_PORTS.has(p.port) && !inspects);
      // The program compose runs instead of the CMD listens where compose publishes: the CMD's ports go.
      const replaced = existing.composeRun;
      const unpublished = replaced
        ? ins.ports.filter(
            (p) => p.port !== undefined && p.port !== project.port && !replaced.ports.includes(p.port),
          )
        : [];
      const extra = ins.ports.filter(
        (p) =>
          p.port !== undefined && p.port !== project.port && !debug.includes(p) && !unpublished.includes(p),
      );
      if (isFinal && replaced && unpublished.length > 0)
        decisions.push({
          topic: "rewrite",
          text: `${at} ${oneLine(ins)}: ${unpublished.map((p) => p.raw).join(" ")} not exposed: service ${replaced.service}'s command replaces the CMD, and the service publishes ${replaced.ports.join(", ") || "no port"}`,
        });
      if (isFinal && debug.length > 0)
        decisions.push({
          topic: "rewrite",
          text: `${at} ${oneLine(ins)}: ${debug.map((p) => p.raw).join(" ")} not exposed: Node's inspector port, and the entry point (${project.entry.argv.join(" ")}) does not start the inspector`,
        });
      if (isFinal && extra.length > 0) {
        s.keep.push(parseInstruction(`EXPOSE ${extra.map((p) => p.raw).join(" ")}`));
        decisions.push({ topic: "kept", text: `${at} ${oneLine(ins)}: the extra ports are kept` });
      } else
        decisions.push({
          topic: "rewrite",
          text: `${at} ${oneLine(ins)}: EXPOSE ${project.port ?? "(no port)"} in the runtime stage`,
        });
      break;
    }
    case "RUN":
      rewriteRun(s, ins, at, isFinal);
      break;
    case "COPY":
    case "ADD":
      if (isFinal && ins.keyword === "COPY" && ins.from && s.foreignNames.has(ins.from.toLowerCase())) {
        keepInstruction(s, ins, at);
        decisions.push({
          topic: "kept",
          text: `${at} ${oneLine(ins)}: kept: the files built by the kept stage ${ins.from}`,
        });
        break;
      }
      decisions.push({
        topic: "rewrite",
        text: isFinal
          ? `${at} ${oneLine(ins)}: replaced by copies of ${languageOf(project).dependencyFolder} and ${project.appPaths.join(", ") || "the app"}${plan.testStage ? " from the tested stages" : ""}`
          : `${at} ${oneLine(ins)}: done by the generated deps${plan.testStage ? " and test" : ""} stages`,
      });
      break;
    case "ENTRYPOINT":
      if (isFinal)
        decisions.push({
          topic: existing.entrypointArgv ? "kept" : "rewrite",
          text: existing.entrypointArgv
            ? `${at} ${oneLine(ins)}: kept as ENTRYPOINT ${execForm(existing.entrypointArgv)} behind the init (tini), so a compose \`command:\` still replaces only the CMD`
            : `${at} ${oneLine(ins)}: the init in it is replaced by the generated one (tini)`,
        });
      break;
    case "CMD":
      if (isFinal)
        decisions.push({
          topic: "rewrite",
          text: `${at} ${oneLine(ins)}: CMD ${execForm(existing.entrypointArgv ? (existing.cmdArgv ?? []) : project.entry.argv)} (exec form, the init's only child)`,
        });
      break;
    case "WORKDIR":
      if (isFinal)
        decisions.push({
          topic: "kept",
          text: `${at} ${oneLine(ins)}: the runtime's WORKDIR is ${existing.workdir ?? "/app"}, where the app files go, so kept steps that use it still find them`,
        });
      break;
    case "USER":
      if (isFinal)
        decisions.push({
          topic: "rewrite",
          text: `${at} ${oneLine(ins)}: the generated runtime runs as its own non-root user`,
        });
      break;
    case "HEALTHCHECK": {
      const own = isFinal ? ownRuntimeHealthcheck(s, ins) : undefined;
      if (own) {
        s.healthcheck = own;
        decisions.push({
          topic: "kept",
          text: `${at} ${oneLine(ins)}: kept as ${own} (exec form: the app's own check with the runtime both tiers have, no shell; it replaces the generated one)`,
        });
      } else if (isFinal && !/^HEALTHCHECK /m.test(plan.dockerfile) && plan.tier === "slim") {
        keepInstruction(s, ins, at);
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
    }
    default:
      break;
  }
}

/**
 * The old HEALTHCHECK in exec form, when it runs the app's own runtime on plain words
 * (`CMD node healthcheck.js`, `CMD ["python", "check.py"]`): the project's check (exactly 200,
 * its own route) then stays the image's, in both tiers (no shell needed; detection ships the file
 * it runs). Its timings stay too.
 */
function ownRuntimeHealthcheck(s: RewriteState, ins: HealthcheckInstruction): string | undefined {
  const check = finalHealthcheck(s.existing);
  const argv = check?.ins === ins ? check.argv : undefined;
  const runtimes = s.project.kind === "node" ? ["node"] : ["python", "python3"];
  if (!argv || argv.length < 2 || !runtimes.includes(argv[0] ?? "")) return undefined;
  const opts = [
    ins.interval && `--interval=${ins.interval}`,
    ins.timeout && `--timeout=${ins.timeout}`,
    ins.startPeriod && `--start-period=${ins.startPeriod}`,
    ins.startInterval && `--start-interval=${ins.startInterval}`,
    ins.retries !== undefined && `--retries=${ins.retries}`,
  ].filter(Boolean);
  return `HEALTHCHECK ${opts.length > 0 ? `${opts.join(" ")} ` : ""}CMD ${execForm(argv)}`;
}

/** An ENV of the final stage: kept without the variables the runtime sets itself and without development settings. */
function rewriteEnv(s: RewriteState, ins: EnvInstruction, at: string): void {
  const { decisions } = s;
  const dev = ins.pairs.filter(isDevSetting);
  const pairs = ins.pairs.filter((p) => !MANAGED_ENV.has(p.key) && !isDevSetting(p));
  if (dev.length > 0) {
    decisions.push({
      topic: "rewrite",
      text: `${at}: ${dev.map((p) => `${p.key}=${p.value}`).join(" ")} is a development setting (debugger, reloader): left out of the production image`,
    });
  }
  if (pairs.length === ins.pairs.length) {
    keepInstruction(s, ins, at);
    decisions.push({ topic: "kept", text: `${at} ${oneLine(ins)}: kept in the runtime stage` });
  } else if (pairs.length > 0) {
    s.keep.push(
      ...leadingComments(s.old, ins),
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
}

/** A RUN step: a package install (judged later), an ownership or user step, an install the plan replaces, or an app step. */
function rewriteRun(s: RewriteState, ins: RunInstruction, at: string, isFinal: boolean): void {
  const { decisions, plan, project } = s;
  const text =
    (ins.command.form === "json" ? ins.command.args.join(" ") : ins.command.command) +
    ins.heredocs.map((h) => `\n${h.content}`).join("");
  const apt = aptPackages(text);
  const setup = isFinal ? ownershipStep(ins.shell) : undefined;
  // The folders this step hands over, counting those an earlier RUN made (handedFoldersOf).
  const handed = setup ? s.handed.filter((h) => h.line === line(ins)).map((h) => h.path) : [];
  if (isFinal && apt.length > 0) {
    // Judged below, once the kept steps and the entrypoint are known.
    s.packageRuns.push({ ins, packages: apt });
  } else if (handed.length > 0) {
    // A kept step made files there as root (`mkdir -p /var/log/app && touch app.log`): the app must own them too.
    const filled = handed.filter((h) => s.keptCreated.includes(h));
    const chown = `RUN chown -R app:app ${filled.join(" ")}`;
    if (filled.length > 0) {
      s.keep.push(parseInstruction(chown));
      s.keptRunSteps++;
      s.keptRunTexts.push(chown);
    }
    const how =
      filled.length > 0
        ? `became ${chown}: a kept step put files in ${filled.join(", ")} as root; the generated runtime creates ${handed.join(", ")} owned by its own user app (writable), and`
        : `dropped: the generated runtime creates ${handed.join(", ")} owned by its own user app (writable) without a RUN step, so no shell is needed and`;
    decisions.push({
      topic: filled.length > 0 ? "rewrite" : "dropped",
      text: `${at} ${oneLine(ins)}: ${how} no other user (here ${setup?.owners.join(", ")}) must exist; the rest stays read-only`,
    });
  } else if (setup && (setup.owned.length > 0 || setup.created.length === 0)) {
    // A plain chown or chmod of the app files: a mkdir alone is an app step and stays.
    decisions.push({
      topic: "dropped",
      text: `${at} ${oneLine(ins)}: dropped: the generated runtime keeps the app files owned by root and read-only, and gives the app user (${"app"}) only the writable folders (--writable, VOLUMEs)`,
    });
  } else if (onlyExports(ins.shell)) {
    decisions.push({
      topic: "dropped",
      text: `${at} ${oneLine(ins)}: dropped: an export lasts only for its RUN's shell, so no later step and not the app sees it (ENV sets a variable for them)`,
    });
  } else if (FOREIGN_PACKAGES.test(text)) {
    const pm = FOREIGN_PACKAGES.exec(text)?.[1] ?? "";
    const names = text
      .replace(FOREIGN_PACKAGES, "")
      .split(/&&|;|\n/)[0]
      ?.split(/\s+/)
      .filter((w) => w && !w.startsWith("-") && w !== "\\");
    // Judged with the Debian packages below: a program the app or compose's healthcheck runs (curl) stays.
    if (isFinal && names && names.length > 0) {
      s.packageRuns.push({ ins, packages: names, foreign: pm });
      return;
    }
    decisions.push({
      topic: "dropped",
      text: `${at} ${oneLine(ins)}: dropped: ${pm} packages (${names?.join(" ") || "none named"}) are another distribution's; the generated stages are Debian, with the toolchain and the libraries the dependencies link worked out from them; if the app runs one of these programs, install its Debian package in the runtime stage`,
    });
  } else if (isFinal && USER_RUN.test(text) && !INSTALL_RUN.test(text.replace(USER_RUN_ALL, ""))) {
    decisions.push({
      topic: "rewrite",
      text: `${at} ${oneLine(ins)}: replaced by the generated runtime's own non-root user app`,
    });
  } else if (INSTALL_RUN.test(text)) {
    decisions.push({
      topic: "rewrite",
      text: `${at} ${oneLine(ins)}: replaced by the generated ${/pytest|(npm|yarn|pnpm) (run )?test/.test(text) ? "test stage" : /\btsc\b|run build\b/.test(text) && plan.dockerfile.includes(" AS build\n") ? "build stage" : `install steps (into ${languageOf(project).dependencyFolder}, ${plan.dockerfile.includes("--mount=type=cache") ? "cache mounts, " : ""}no toolchain in the runtime)`}`,
    });
  } else if (isFinal && keptAsFolders(s, ins, at)) {
    // Made without a shell: nothing more to do.
  } else if (isFinal) {
    keepInstruction(s, ins, at);
    s.keptRunSteps++;
    s.keptRunTexts.push(text);
    s.keptCreated.push(...createdFolders(ins.shell));
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
}

/**
 * A step that only makes folders becomes one COPY of the init stage's empty folder per folder: the
 * same root-owned folders without a RUN, so the step does not keep the distroless tier (no shell)
 * out. Not when a folder is, holds or lies in one the old file hands to a user: those are
 * the writable folders' business (rewriteRun's set-up branch). True when it was done.
 */
function keptAsFolders(s: RewriteState, ins: RunInstruction, at: string): boolean {
  if (ins.command.form !== "shell" || ins.heredocs.length > 0 || !/ AS init\n/.test(s.plan.dockerfile))
    return false;
  const folders = foldersOnlyStep(ins.shell);
  if (folders === undefined) return false;
  const norm = (p: string) => `${p.replace(/^\.\//, "").replace(/\/+$/, "")}/`;
  const overlaps = (a: string, b: string) => norm(a).startsWith(norm(b)) || norm(b).startsWith(norm(a));
  if (folders.some((f) => s.handed.some((h) => overlaps(f, h.path)))) return false;
  const copies = folders.map((f) => emptyFolderCopy(f));
  s.keep.push(...leadingComments(s.old, ins), ...copies.map((c) => parseInstruction(c)));
  s.decisions.push({
    topic: "rewrite",
    text: `${at} ${oneLine(ins)}: became ${copies.join("; ")}: the same root-owned folder${folders.length > 1 ? "s" : ""}, made without a shell, so this step does not keep the distroless tier out`,
  });
  return true;
}

/** Runtime packages of the old final stage: kept when the kept steps, the entrypoint or the command use them. */
function judgeRuntimePackages(s: RewriteState): string[] {
  const { existing, file, decisions } = s;
  const usedText = [
    ...s.keptRunTexts,
    s.opts.entrypointText ?? "",
    s.opts.healthcheckText ?? "",
    (existing.entrypointArgv ?? []).join(" "),
    (existing.cmdArgv ?? s.project.entry.argv).join(" "),
  ].join("\n");
  const keptPackages: string[] = [];
  for (const { ins, packages, foreign } of s.packageRuns) {
    const verdicts = judgePackages(packages, usedText).map((v) =>
      // Another distribution's package stays only as a program whose Debian package has the same name.
      foreign && v.keep && !isKnownProgramPackage(v.name)
        ? {
            ...v,
            keep: false,
            why: `a package of ${foreign}'s distribution, whose Debian name slimstage does not know`,
          }
        : v,
    );
    for (const v of verdicts) if (v.keep && !keptPackages.includes(v.name)) keptPackages.push(v.name);
    decisions.push({
      topic: verdicts.some((v) => v.keep) ? "kept" : "dropped",
      text: `${file}:${line(ins)} ${oneLine(ins)}: ${verdicts.map((v) => `${v.name} ${v.keep ? "kept" : "dropped"} (${v.why})`).join("; ")}${verdicts.some((v) => v.keep) ? "; the kept ones are installed in the runtime stage" : ""}`,
    });
  }
  if (keptPackages.length > 0) {
    s.keep.unshift(
      commentNode(` runtime packages the app uses, from ${file}`),
      parseInstruction(
        `RUN apt-get update && apt-get install -y --no-install-recommends ${keptPackages.join(" ")} && rm -rf /var/lib/apt/lists/*`,
      ),
    );
  }
  return keptPackages;
}

/** The new file: the old header and `# syntax=` line, the kept stages, the generated stages with the kept steps before USER. */
function assembleNodes(s: RewriteState): Node[] {
  const { old, file, decisions, opts, keep, keptStages } = s;
  const generated = parseDockerfile(s.plan.dockerfile, { file: "generated Dockerfile", shell: false });
  const runtime = generated.stages[generated.stages.length - 1];
  const nodes: Node[] = [];
  // The old file's header comments stay at the top.
  const firstIns = old.nodes.findIndex((n) => n.kind === "instruction");
  const before = old.nodes.slice(0, Math.max(0, firstIns));
  // Comments touching the first FROM describe that stage, which is replaced: keep only the file's own header.
  let end = before.length;
  while (end > 0 && before[end - 1]?.kind === "comment") end--;
  const header = before.slice(0, end).filter((n) => n.kind === "comment" || n.kind === "blank");
  for (const d of old.directives) {
    if (d.name !== "syntax") continue;
    if (opts.frontendAvailable) nodes.push(d);
    decisions.push({
      topic: opts.frontendAvailable ? "kept" : "dropped",
      text: opts.frontendAvailable
        ? `${file}:${d.range.start.line} # syntax=${d.value}: kept (the engine has that frontend image)`
        : `${file}:${d.range.start.line} # syntax=${d.value}: dropped: the engine cannot pull that frontend image (no registry), so the file uses the frontend built into it${old.instructions.some((i) => i.heredocs.length > 0) ? " and heredocs in kept steps become plain RUNs" : ""}`,
    });
  }
  if (header.some((n) => n.kind === "comment")) {
    nodes.push(...header);
    if (header[header.length - 1]?.kind !== "blank") nodes.push(commentNode(""));
  }
  if (keptStages.length > 0) {
    nodes.push(commentNode(` kept from ${file}: stages of another language that the app's files come from`));
    nodes.push(...keptStages);
  }
  const userIns = runtime?.instructions.find((i) => i.keyword === "USER");
  const anchor = userIns ?? runtime?.instructions.find((i) => i.keyword === "CMD");
  const generatedCheck = runtime?.instructions.find((i) => i.keyword === "HEALTHCHECK");
  const ownCheck = s.healthcheck ? parseInstruction(s.healthcheck) : undefined;
  for (const n of generated.nodes) {
    if (n === anchor && (keep.length > 0 || (ownCheck && !generatedCheck))) {
      nodes.push(commentNode(` kept from ${file}: app-specific settings and steps`));
      for (const k of keep) nodes.push(k);
      if (ownCheck && !generatedCheck) nodes.push(ownCheck);
    }
    nodes.push(n === generatedCheck && ownCheck ? ownCheck : n);
  }
  nodes.push(...targetAlias(s, generated));
  return nodes;
}

/**
 * The old file was read for a named stage (a compose service's build.target, or --target): that
 * name must still build the app's image, or `docker-compose build` fails with "failed to reach
 * build target". A name the generated file lacks becomes the last stage, the runtime under that
 * name (the same image); a name it uses for another stage cannot, and the plan says what to change.
 */
function targetAlias(s: RewriteState, generated: Dockerfile): Node[] {
  const target = s.existing.target;
  if (target === undefined) return [];
  const runtime = generated.stages[generated.stages.length - 1];
  const same = generated.stages.find((st) => st.name?.toLowerCase() === target.toLowerCase());
  if (same === runtime) return [];
  if (same) {
    s.decisions.push({
      topic: "target",
      text: `builds target the old stage ${target} (compose's build.target, --target), and the generated file has a stage ${target} of its own that is not the app's image: set the build target to ${runtime?.name ?? "the last stage"} (compose's build.target, --target)`,
    });
    return [];
  }
  s.decisions.push({
    topic: "target",
    text: `builds target the old stage ${target} (compose's build.target, --target): the file ends with FROM ${runtime?.name} AS ${target}, the runtime under that name, so a build of target ${target} (compose's build.target) still makes the app's image`,
  });
  const text = `\n# ${target}: the stage the old file was built for, the runtime under that name\nFROM ${runtime?.name} AS ${target}\n`;
  return parseDockerfile(text, { file: "generated Dockerfile", shell: false }).nodes;
}
