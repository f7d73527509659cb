/**
 * optimize: detect the project, plan a Dockerfile per tier, write it with the
 * project into a temporary build context, build it with BuildKit, verify the
 * image with the project's probe, and fall back from distroless to slim when
 * a tier fails. Nothing is reported as a success that was not built and
 * verified; nothing in the project is written unless `write` is set, and then
 * every file that is replaced keeps a backup.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import dockerignore, { type Ignore } from "@balena/dockerignore";
import { parseDockerfile } from "../dockerfile/parser.js";
import { type BuildProgressEvent, buildImage } from "../engine/build/build.js";
import { connectEngine, type EngineConnection } from "../engine/connect.js";
import { findEngineImage } from "../engine/images.js";
import { tagLocalImage, untagLocalImage } from "../engine/local-images.js";
import { InputError, InterruptedError, isSlimstageError, throwIfAborted } from "../errors.js";
import { releasesInImage } from "../lint/eol.js";
import { verifyFailureReason } from "../verify/failure-reason.js";
import { defaultProbe } from "../verify/probes/config.js";
import type { Probe, VerifyProgressEvent, VerifyResult } from "../verify/types.js";
import { verifyImage } from "../verify/verify.js";
import { type ExistingDockerfile, readExistingDockerfile } from "./detect/existing.js";
import { type ProjectFiles, scanProject } from "./detect/files.js";
import type { DetectOptions } from "./detect/options.js";
import { detectProjectFiles } from "./detect/project.js";
import { findSubproject, type Subproject } from "./detect/subproject.js";
import { failsEveryTier, failureReason } from "./failure.js";
import { type BuildInputs, languageOf, NO_BUILD_INPUTS } from "./languages/index.js";
import type { Project } from "./project.js";
import { rewriteDockerfile } from "./rewrite.js";
import { handedFoldersOf } from "./rewrite-ownership.js";
import { refuseSecretFiles } from "./secrets.js";
import { planFiles } from "./templates/index.js";
import { absoluteIn } from "./templates/production.js";
import type { Decision, PlannedFiles, Tier, WritablePath } from "./templates/text.js";

export interface OptimizeOptions {
  /** An existing Dockerfile to rewrite (relative to the project dir or absolute). Default: DIR/Dockerfile when present. */
  from?: string;
  /** The stage of the existing Dockerfile the image stands for (default: a compose service's build.target, else the last). */
  target?: string;
  /** The most aggressive tier to try (default distroless); failures fall back to safer tiers. */
  tier?: Tier;
  /** Build and verify every tier from `tier` down, even after one succeeded (for comparisons). */
  allTiers?: boolean;
  /** Probes that prove the image works; default: `defaults.probes`, else the detected port. */
  probes?: Probe[];
  /** Sidecars from a compose file (default: `defaults.compose`). */
  compose?: { file: string; service: string };
  /** What the project's own configuration says (a lab's lab.yaml: lab/optimize-defaults.ts), used where the options above are silent. */
  defaults?: ProjectDefaults;
  /** Command that keeps a run-to-completion app's container up for a command probe. */
  verifyCommand?: string[];
  /** Write the result into the project (keeping backups). */
  write?: boolean;
  /** Plan only: no build, no verification (the result says so). */
  planOnly?: boolean;
  /** Keep the built images (tagged slimstage-optimize/NAME:TIER); default true. */
  keepImages?: boolean;
  /** Repository the tier images are tagged in (default slimstage-optimize/<dir>); tags are the tier names. */
  repository?: string;
  /** Extra labels on built images (tests mark theirs). */
  labels?: Record<string, string>;
  /** Skip the test stage. */
  skipTests?: boolean;
  /** False: RUN steps without BuildKit cache mounts, for builders without BuildKit (templates/index.ts). */
  cacheMounts?: boolean;
  /** Base image of the builder (and of the Node slim runtime); default python:3.11-slim / node:22-slim. */
  baseImage?: string;
  /** The Debian base under the Python image, for the Python slim runtime (default debian:bookworm-slim). */
  runtimeBaseImage?: string;
  detect?: DetectOptions;
  signal?: AbortSignal;
  onProgress?: (e: OptimizeProgressEvent) => void;
  /** Verification time limit per tier. */
  verifyTimeoutMs?: number;
  /** Environment for the verified containers. */
  env?: Record<string, string>;
  /** How long the app must stay up after the last request (default: verify's). */
  livenessMs?: number;
  /** An original image: each tier is verified against it (differential verification). */
  against?: string;
  /** Bound on the request set discovered on the original (default 60). */
  maxRequests?: number;
  /** Folders the app writes to (absolute, or relative to the app folder): owned by the app user. */
  writable?: string[];
  /** Project files that look like keys or credentials but may go into the image (relative paths). */
  allowSecrets?: string[];
}

export type OptimizeProgressEvent =
  | {
      type: "phase";
      tier?: Tier;
      message: string;
      /** The tier failed; `fallback`: the next tier is tried (its build and verification follow). */
      failed?: { fallback: boolean };
    }
  | { type: "build"; tier: Tier; event: BuildProgressEvent }
  | { type: "verify"; tier: Tier; event: VerifyProgressEvent };

export interface TierAttempt {
  tier: Tier;
  ok: boolean;
  /** "built", "build-failed", "verify-failed", "planned" (planOnly). */
  status: "verified" | "build-failed" | "verify-failed" | "planned";
  /** Why it failed, in one sentence. */
  reason?: string;
  /** The failure is one every tier would meet (the shared test stage, a refused requirement): no fallback was tried. */
  everyTier?: boolean;
  dockerfile: string;
  image?: string;
  imageId?: string;
  /** Uncompressed image size in bytes (the engine's Size). */
  sizeBytes?: number;
  buildMs?: number;
  verify?: VerifyResult;
  decisions: Decision[];
}

/**
 * Defaults a caller reads from the project's own configuration (a lab's lab.yaml) and
 * hands over; optimize itself reads no configuration file but the project's build files.
 */
export interface ProjectDefaults {
  probes?: Probe[];
  compose?: { file: string; service: string };
  /** The HTTP path the generated HEALTHCHECK asks. */
  healthPath?: string;
  /** A run-to-completion app: the entry run as a command probe, with what it must print or exit with. */
  commandProbe?: { output?: string; exitCode?: number };
}

export interface WrittenFile {
  path: string;
  /** Where the previous content was kept, when the file existed. */
  backup?: string;
}

export interface OptimizeResult {
  project: Project;
  /** The tier that built and verified first (undefined: none did). */
  tier?: Tier;
  ok: boolean;
  /** The Dockerfile text of the chosen tier (or of the last attempt when none passed). */
  dockerfile: string;
  dockerignore: string;
  extraFiles: Record<string, string>;
  attempts: TierAttempt[];
  decisions: Decision[];
  /** Files written into the project (only with `write`). */
  written: WrittenFile[];
  /** Where the Dockerfile would go / went. */
  target: string;
  /** The existing Dockerfile that was rewritten, if any. */
  rewrittenFrom?: string;
}

const TIER_ORDER: Tier[] = ["distroless", "slim"];
/** The generated runtime's WORKDIR. */
const APP_DIR = "/app";
// The package is CommonJS with a default export: unwrap it the same way under tsx and plain Node.
const ignore = ((dockerignore as { default?: unknown }).default ?? dockerignore) as () => Ignore;

async function exists(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined)) !== undefined;
}

/** The project files a .dockerignore text lets into the build context. */
function contextFiles(files: string[], dockerignoreText: string): string[] {
  const ig = ignore().add(dockerignoreText.split("\n").filter((l) => l && !l.startsWith("#")));
  return ig.filter(files);
}

/** Explicitly allowed secret-looking files are let back into the context (they were asked for). */
function withAllowed(plan: PlannedFiles, allowed: readonly string[] | undefined): PlannedFiles {
  if (!allowed || allowed.length === 0) return plan;
  const lines = allowed.map((a) => `!${a.replace(/^\.\//, "")}`);
  return {
    ...plan,
    dockerignore: `${plan.dockerignore}# allowed explicitly with --allow-secret\n${lines.join("\n")}\n`,
  };
}

/** Copies the project into a fresh build context, leaving out what the .dockerignore excludes. */
async function prepareContext(project: Project, files: string[], plan: PlannedFiles): Promise<string> {
  const ctx = await mkdtemp(path.join(tmpdir(), "slimstage-optimize-"));
  // The generated files are written below; the project's own Dockerfile and .dockerignore are not part of the plan.
  for (const rel of contextFiles(files, plan.dockerignore)) {
    const dest = path.join(ctx, rel);
    await mkdir(path.dirname(dest), { recursive: true });
    await copyFile(path.join(project.dir, rel), dest);
  }
  await writeFile(path.join(ctx, "Dockerfile"), plan.dockerfile);
  await writeFile(path.join(ctx, ".dockerignore"), plan.dockerignore);
  for (const [rel, text] of Object.entries(plan.extraFiles)) await writeFile(path.join(ctx, rel), text);
  return ctx;
}

/** Folder names that say little on their own: the image name carries the parent's too. */
const GENERIC_DIRS = /^(app|src|service|web|api|backend|frontend|server|client)$/i;

/**
 * The tag of a tier's image: `slimstage-optimize/<dir>:<tier>`, where a generic folder name gets
 * its parent's in front (lab-001/app, react-express-mysql/backend and react-express-mongodb/backend
 * would otherwise all be `app` or `backend`, and each run would retag the other's images).
 */
export function imageName(projectDir: string, tier: string, repository?: string): string {
  if (repository) return `${repository}:${tier}`;
  const dirName = path.basename(projectDir);
  const name = GENERIC_DIRS.test(dirName) ? `${path.basename(path.dirname(projectDir))}-${dirName}` : dirName;
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^[._-]+/, "") || "app";
  return `slimstage-optimize/${base}:${tier}`;
}

const COMPOSE_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

/** The compose service that builds the Dockerfile at hand: its target, how it runs, and what it depends on. */
interface ComposePick {
  /** build.target; undefined when the service builds the last stage. */
  target?: string;
  source: string;
  file: string;
  service: string;
  dependsOn: string[];
  /** `command`, which replaces the image's CMD when compose runs the service. */
  command?: string[];
  /** The container ports the service publishes. */
  ports: number[];
  /** Why the service's command is not the image's: a development set-up (bind-mounted sources, a watcher). */
  devCommand?: string;
  /** The service's healthcheck test, which compose runs inside the container. */
  healthcheck?: string[];
}

/** A command that watches or reloads sources: what a development service runs, not the image. */
const WATCHER =
  /^(npm|yarn|pnpm)( run)? (dev|watch|start:dev)$|--watch\b|--reload\b|\bnodemon\b|\bts-node-dev\b/;

/** Why a service's command is a development set-up's, or undefined. */
function developmentCommand(
  command: string[] | undefined,
  bindMounts: readonly string[],
): string | undefined {
  if (!command) return undefined;
  if (bindMounts.length > 0) return `the service mounts host files at ${bindMounts.join(", ")}`;
  return WATCHER.test(command.join(" ")) ? "it watches the sources" : undefined;
}

/**
 * The compose service that builds the very Dockerfile being rewritten: its
 * build.target is the stage the service's image stands for, its `command`
 * and `ports` are how the image is run. Without `--compose`, the compose
 * files in `dirs` are read (a project's root usually holds one, and its last
 * stage is often a development stage): the services with a target when any
 * has one (used only when they agree on it), else every service building
 * it; a command is taken only when they all run the same one. A compose file
 * found but unreadable is left out.
 */
async function composeTarget(
  compose: { file: string; service: string } | undefined,
  dockerfile: string,
  dirs: readonly string[],
): Promise<ComposePick | undefined> {
  const found: string[] = [];
  if (!compose)
    for (const dir of new Set(dirs.map((d) => path.resolve(d))))
      for (const name of COMPOSE_FILES)
        if (await exists(path.join(dir, name))) found.push(path.join(dir, name));
  // The compose reader (yaml, ajv) loads only when there is a compose file to read.
  if (!compose && found.length === 0) return undefined;
  const { loadCompose } = await import("../verify/compose.js");
  const builds = (doc: Awaited<ReturnType<typeof loadCompose>>, file: string, only?: string) =>
    Object.entries(doc.services).flatMap(([name, svc]): ComposePick[] => {
      const build = svc.build;
      if ((only !== undefined && name !== only) || !build) return [];
      const context = path.resolve(path.dirname(path.resolve(file)), build.context);
      const built = path.resolve(context, build.dockerfile ?? "Dockerfile");
      if (built !== path.resolve(dockerfile)) return [];
      const where = path.relative(process.cwd(), file) || file;
      const devCommand = developmentCommand(svc.command, svc.bindMounts);
      return [
        {
          ...(build.target ? { target: build.target } : {}),
          source: `${build.target ? "build.target of " : ""}service ${name} in ${where}`,
          file,
          service: name,
          dependsOn: svc.dependsOn.map((d) => d.service),
          ...(svc.command ? { command: svc.command } : {}),
          ports: svc.ports,
          ...(svc.healthcheck ? { healthcheck: svc.healthcheck.test } : {}),
          ...(devCommand ? { devCommand } : {}),
        },
      ];
    });
  if (compose) return builds(await loadCompose(compose.file), compose.file, compose.service)[0];
  const all: ComposePick[] = [];
  for (const file of found) {
    // Only the builds are read here: keys verification would refuse are no reason to skip it.
    const doc = await loadCompose(file, { unsupported: "warn" }).catch(() => undefined);
    if (doc) all.push(...builds(doc, file));
  }
  const targeted = all.filter((f) => f.target !== undefined);
  const picks = targeted.length > 0 ? targeted : all;
  const first = picks[0];
  if (!first || new Set(picks.map((f) => f.target)).size !== 1) return undefined;
  const commands = new Set(picks.map((f) => JSON.stringify(f.command ?? null)));
  if (commands.size > 1) {
    const { command: _differs, ...rest } = first;
    return rest;
  }
  return first;
}

/**
 * How compose runs the image, applied to what the Dockerfile says: the
 * service's `command` replaces the CMD (after the Dockerfile's ENTRYPOINT),
 * and its published ports come first. What users run is the compose
 * service: a Dockerfile CMD that compose always overrides (awesome-compose's
 * nginx-wsgi-flask: `CMD python app.py`, an app with no __main__ guard,
 * while compose runs gunicorn on 8000) would verify the wrong program.
 */
function withComposeRun(existing: ExistingDockerfile, pick: ComposePick): ExistingDockerfile {
  const ports = [...pick.ports, ...existing.ports.filter((p) => !pick.ports.includes(p))];
  if (!pick.command || pick.devCommand) return { ...existing, ports };
  const argv = [...(existing.entrypointArgv ?? []), ...pick.command];
  return {
    ...existing,
    ports,
    cmdArgv: pick.command,
    entry: { argv, source: `command of ${pick.source}` },
    composeRun: { service: pick.service, ports: pick.ports },
  };
}

/**
 * The images of the compose service's dependencies (those not built from the
 * compose file) must be in the engine's store: an InputError naming the
 * service and image, before anything is built. The file is read as
 * verification will read it, so a key verification refuses is refused here,
 * before the first build, not after it.
 */
async function requireSidecarImages(
  compose: { file: string; service: string; profiles?: string[] },
  engine: EngineConnection,
): Promise<void> {
  const { loadCompose, dependencyOrder } = await import("../verify/compose.js");
  const doc = await loadCompose(compose.file, { profiles: compose.profiles ?? [] });
  const rel = path.relative(process.cwd(), compose.file) || compose.file;
  for (const dep of dependencyOrder(doc, compose.service)) {
    if (dep.build || !dep.image) continue;
    if (await findEngineImage(dep.image, engine)) continue;
    throw new InputError(
      `service ${dep.name} of ${rel} (line ${dep.line}) runs image ${dep.image}, which is not in the engine's image store`,
      {
        hint: `pull it (docker pull ${dep.image}), or point the service at an image the engine has (\`slimstage bases list\` shows the local stand-ins, such as redis:7)`,
      },
    );
  }
}

/** The text of the entrypoint script when it is a file of the project (found by its path or name). */
async function scriptText(dir: string, argv: readonly string[]): Promise<string | undefined> {
  const first = argv[0];
  if (!first) return undefined;
  for (const cand of [first.replace(/^\.\//, ""), path.basename(first)]) {
    const p = path.join(dir, cand);
    if (!p.startsWith(dir)) continue;
    const text = await readFile(p, "utf8").catch(() => undefined);
    if (text !== undefined) return text.slice(0, 200_000);
  }
  return undefined;
}

/**
 * Whether the engine has the `# syntax=` frontend image locally: without a
 * registry it cannot pull one, so the line (and heredocs) must go.
 */
async function syntaxFrontendAvailable(
  engine: Awaited<ReturnType<typeof connectEngine>>,
  existing: ExistingDockerfile,
): Promise<boolean> {
  const syntax = existing.model.directives.find((d) => d.name === "syntax");
  if (!syntax) return false;
  return (await findEngineImage(syntax.value, engine).catch(() => undefined)) !== undefined;
}

/** Folders the app writes to: --writable, and the old final stage's VOLUMEs (a volume is written to). */
function writablePaths(
  given: readonly string[],
  existing: ExistingDockerfile | undefined,
  appDir: string,
  project: Project,
): WritablePath[] {
  const out: WritablePath[] = [];
  const add = (p: string, source: string) => {
    const abs = absoluteIn(appDir, p);
    if (abs !== "/" && !out.some((w) => w.path === abs)) out.push({ path: abs, source });
  };
  for (const g of given) add(g, "--writable");
  for (const v of existing?.volumes ?? []) add(v.path, `VOLUME in ${existing?.file}:${v.line}`);
  // A folder the old file made and handed to its own user (`mkdir .next && chown nextjs .next`) is written to.
  if (existing)
    for (const h of handedFoldersOf(existing)) add(h.path, `mkdir + chown in ${existing.file}:${h.line}`);
  for (const w of languageOf(project).writable(project)) add(w.path, w.source);
  return out;
}

function defaultProbes(project: Project): Probe[] {
  // HTTP on the detected port; TCP only when the port does not answer HTTP (the result says so).
  if (project.port !== undefined) return [defaultProbe(project.port)];
  return [];
}

async function engineAnswers(
  engine: Awaited<ReturnType<typeof connectEngine>> | undefined,
): Promise<boolean> {
  if (!engine) return false;
  return engine.docker
    .ping()
    .then(() => true)
    .catch(() => false);
}

async function writeWithBackup(file: string, text: string, written: WrittenFile[]): Promise<void> {
  const entry: WrittenFile = { path: file };
  if (await exists(file)) {
    const old = await readFile(file, "utf8");
    if (old === text) return;
    let backup = `${file}.slimstage.bak`;
    for (let i = 1; await exists(backup); i++) backup = `${file}.slimstage.bak.${i}`;
    await copyFile(file, backup);
    entry.backup = backup;
  }
  await writeFile(file, text);
  written.push(entry);
}

type Engine = Awaited<ReturnType<typeof connectEngine>>;

/** Where the project is and which Dockerfile it has, found before anything is detected. */
interface Discovered {
  /** The Dockerfile --from names, or DIR/Dockerfile. */
  fromPath: string;
  existing: ExistingDockerfile | undefined;
  sub: Subproject | undefined;
  /** The build context's files: the sub-project's when there is one. */
  files: ProjectFiles;
  projectDir: string;
  /** Where the Dockerfile goes when the one at fromPath is not rewritten in place. */
  subDockerfile: string;
  discovery: Decision[];
  /** The compose service found building this Dockerfile, when it has dependencies: verification's sidecars. */
  compose: { file: string; service: string } | undefined;
  /** The healthcheck compose runs in the container of the service building this Dockerfile. */
  composeHealthcheck?: string;
}

/** What the build and verification of each tier need. */
interface TierRun {
  opts: OptimizeOptions;
  progress: (e: OptimizeProgressEvent) => void;
  project: Project;
  found: Discovered;
  probes: Probe[];
  verifyCommand: string[] | undefined;
  healthPath: string | undefined;
  appDir: string;
  writable: WritablePath[];
  /** The old file, when its ENTRYPOINT (a wrapper script) is kept behind the init. */
  keepEntrypoint: ExistingDockerfile | undefined;
  entrypointText: string | undefined;
  frontendAvailable: boolean;
  engine: Engine | undefined;
  /** The sidecars verification starts: --compose, the lab's, or the project's own compose service. */
  compose: { file: string; service: string } | undefined;
  /** The builder base's ENV, as the engine has the image (empty without one): see carryBaseEnv. */
  baseEnv: string[];
}

/** The tiers' outcome: every attempt, the tier chosen and the last plan made. */
interface TierOutcome {
  attempts: TierAttempt[];
  chosen: { tier: Tier; plan: PlannedFiles } | undefined;
  lastPlan: PlannedFiles | undefined;
}

/**
 * Optimizes the project in `dir`: returns the written Dockerfile text, the
 * tier that built and passed verification, and the result of every attempt.
 */
export async function optimizeProject(dir: string, opts: OptimizeOptions = {}): Promise<OptimizeResult> {
  const progress = opts.onProgress ?? (() => {});
  if (opts.write && opts.planOnly) {
    throw new InputError(
      "--write writes only a built and verified Dockerfile: it cannot go with --plan-only",
      {
        hint: "drop --plan-only to build and verify first, or drop --write to see the plan",
      },
    );
  }
  const found = await discoverProject(dir, opts);
  const { existing, projectDir } = found;
  const project = await detectWith(found, opts);
  found.discovery.push(...projectNotes(project), ...interpreterChange(existing, project));
  const { probes, healthPath, verifyCommand } = verificationOf(project, opts);

  const appDir = existing?.workdir && existing.workdir !== "/" ? existing.workdir : APP_DIR;
  const writable = writablePaths(opts.writable ?? [], existing, appDir, project);
  // The app's own ENTRYPOINT (a wrapper script) stays ENTRYPOINT, behind the init.
  const keepEntrypoint =
    existing?.entrypointArgv !== undefined && project.entry.source.includes(existing.file)
      ? existing
      : undefined;
  const entrypointText = keepEntrypoint
    ? await scriptText(projectDir, keepEntrypoint.entrypointArgv ?? [])
    : undefined;

  const start = opts.tier ?? "distroless";
  const tiers = TIER_ORDER.slice(TIER_ORDER.indexOf(start));
  const engine = opts.planOnly ? undefined : await connectEngine();
  const frontendAvailable = existing && engine ? await syntaxFrontendAvailable(engine, existing) : false;
  const compose = opts.compose ?? opts.defaults?.compose ?? found.compose;
  // A sidecar image the engine does not have fails verification after every build: said before the first.
  if (compose && engine) await requireSidecarImages(compose, engine);
  const baseEnv = engine ? await builderBaseEnv(project, opts, engine) : [];
  const run: TierRun = {
    baseEnv,
    compose,
    opts,
    progress,
    project,
    found,
    probes,
    verifyCommand,
    healthPath,
    appDir,
    writable,
    keepEntrypoint,
    entrypointText,
    frontendAvailable,
    engine,
  };
  const outcome = await runTiers(run, tiers);
  if (opts.keepImages === false && engine) {
    for (const a of outcome.attempts) if (a.image && a.ok) await untagLocalImage(engine, a.image);
  }
  return finishResult(run, outcome);
}

/**
 * The ENV of the image the plan builds from (its builder base), when the engine has it: the runtime
 * starts from another base and carries some of it (templates/production.ts, carryBaseEnv). An image
 * the engine does not have yet (the build pulls it) gives none.
 */
async function builderBaseEnv(project: Project, opts: OptimizeOptions, engine: Engine): Promise<string[]> {
  const base = planFiles(project, "slim", opts.baseImage ? { baseImage: opts.baseImage } : {}).builderBase;
  if (base === undefined) return [];
  const info = await findEngineImage(base, engine);
  return info?.env ?? [];
}

/**
 * The existing Dockerfile (read for its CMD/EXPOSE and rewritten through the printer) and the
 * folder the project is in: the root, or a sub-folder that becomes the build context.
 */
async function discoverProject(dir: string, opts: OptimizeOptions): Promise<Discovered> {
  const rootFiles = await scanProject(dir);

  // The existing Dockerfile: read for its CMD/EXPOSE and rewritten through the printer.
  let existing: ExistingDockerfile | undefined;
  const fromPath = opts.from
    ? path.resolve(rootFiles.dir, opts.from)
    : path.join(rootFiles.dir, "Dockerfile");
  if (opts.from && !(await exists(fromPath))) {
    throw new InputError(`--from ${opts.from}: no such file (${fromPath})`, {
      hint: `--from is read relative to the project folder ${rootFiles.dir}, not the current directory; pass that path, an absolute one, or leave --from out`,
    });
  }
  const fromCompose: Decision[] = [];
  // The compose service found building this Dockerfile: its dependencies become verification's sidecars.
  let foundCompose: { file: string; service: string } | undefined;
  let composeHealthcheck: string | undefined;
  const readExisting = async (file: string, composeDirs: readonly string[]) => {
    const picked = await composeTarget(opts.compose, file, composeDirs);
    const target = opts.target ?? picked?.target;
    const rel = path.relative(process.cwd(), file) || file;
    if (picked?.target !== undefined && opts.target === undefined)
      fromCompose.push({
        topic: "discovery",
        text: `${rel} is read for its stage ${picked.target} (the ${picked.source}), not its last stage`,
      });
    // Sidecars only for a service picked by its target, as before: a plain `build: .` with depends_on is read for how it runs.
    if (picked?.target && !opts.compose && !opts.defaults?.compose && picked.dependsOn.length > 0) {
      foundCompose = { file: picked.file, service: picked.service };
      fromCompose.push({
        topic: "discovery",
        text: `verification starts what service ${picked.service} depends on (${picked.dependsOn.join(", ")}) from ${path.relative(process.cwd(), picked.file) || picked.file} as sidecars (--compose FILE --service NAME to choose another)`,
      });
    }
    const text = await readFile(file, "utf8");
    const read = readExistingDockerfile(text, rel, target);
    // A --target other than the service's stage is another image than the one compose runs.
    if (!picked || (opts.target !== undefined && picked.target !== opts.target)) return read;
    const run = withComposeRun(read, picked);
    if (picked.healthcheck) composeHealthcheck = picked.healthcheck.join(" ");
    if (picked.command && picked.devCommand)
      fromCompose.push({
        topic: "discovery",
        text: `the command of ${picked.source} (${picked.command.join(" ")}) is a development set-up's (${picked.devCommand}): the image runs ${rel}'s own CMD`,
      });
    else if (picked.command)
      fromCompose.push({
        topic: "discovery",
        text: `the entry point is the command of ${picked.source} (${picked.command.join(" ")}), which replaces ${rel}'s CMD${read.cmdArgv ? ` (${read.cmdArgv.join(" ")})` : ""} when compose runs it`,
      });
    if (picked.ports.length > 0 && run.ports[0] !== read.ports[0])
      fromCompose.push({
        topic: "discovery",
        text: `port ${run.ports[0]}: published by ${picked.source}`,
      });
    return run;
  };
  // The folder above too: `slimstage optimize app` where ../compose.yaml builds app/ at a target.
  if (await exists(fromPath))
    existing = await readExisting(fromPath, [rootFiles.dir, path.dirname(rootFiles.dir)]);

  // A root with no project of its own: the app is in a sub-folder (service/), which becomes the build context.
  const sub = await findSubproject(rootFiles, existing);
  const files = sub?.files ?? rootFiles;
  const projectDir = files.dir;
  // A root that only holds the compose file (app/ has the Dockerfile, compose.yaml builds it):
  // the sub-folder's own Dockerfile is the one rewritten, as if optimize had been given app/.
  const subDockerfile = path.join(projectDir, "Dockerfile");
  const existingInSub = !existing && sub !== undefined && (await exists(subDockerfile));
  if (existingInSub) existing = await readExisting(subDockerfile, [rootFiles.dir, projectDir]);
  const discovery: Decision[] = [
    ...(sub
      ? [
          {
            topic: "discovery" as const,
            text: `the project is in ${sub.rel}/ (${sub.source}): that folder is the build context (docker build ${sub.rel}), so the Dockerfile is planned for ${sub.rel}/Dockerfile${existing ? (existingInSub ? `, rewriting ${existing.file}` : `; ${existing.file} is read for the command, ports, WORKDIR and ENV, and left as it is (its context is the folder above)`) : ""}`,
          },
        ]
      : []),
    ...fromCompose,
  ];
  return {
    fromPath,
    existing,
    sub,
    files,
    projectDir,
    subDockerfile,
    discovery,
    compose: foundCompose,
    ...(composeHealthcheck !== undefined ? { composeHealthcheck } : {}),
  };
}

/** Detection, told about the existing Dockerfile and the port a given probe asks. */
async function detectWith({ files, existing }: Discovered, opts: OptimizeOptions): Promise<Project> {
  const lab = opts.defaults;
  const detectOpts: DetectOptions = { ...opts.detect };
  if (existing && !detectOpts.existing) detectOpts.existing = existing;
  const httpPort = (opts.probes ?? lab?.probes ?? []).find((p) => p.kind === "http" || p.kind === "tcp");
  if (detectOpts.port === undefined && httpPort && "port" in httpPort) detectOpts.port = httpPort.port;
  return detectProjectFiles(files, detectOpts);
}

/** What detection noticed (an interpreter range, a missing lockfile, Flask's debugger): in the plan's reasons. */
function projectNotes(project: Project): Decision[] {
  return project.notes.map((text) => ({ topic: "project", text }));
}

/**
 * The interpreter the existing Dockerfile builds on when it is not the one the tiers build on
 * (python:3.9 -> 3.11): a change the app's own tests should see, so it is a decision, not silence.
 */
export function interpreterChange(existing: ExistingDockerfile | undefined, project: Project): Decision[] {
  const kind = project.kind;
  const ours = project.kind === "python" ? project.pythonVersion : project.nodeVersion;
  for (const stage of existing?.chain ?? []) {
    // The lint's reader of image references (official tags and third-party python3.9-style tags).
    const ref = stage.from.imageRef;
    const theirs = releasesInImage(ref.repository, ref.tag).find((r) => r.product === kind);
    if (!theirs) continue;
    const version = theirs.cycle;
    const same = ours === version || ours.startsWith(`${version}.`);
    if (same) return [];
    const why =
      kind === "python" ? "the offline package index holds CPython 3.11 wheels only" : "the local Node base";
    return [
      {
        topic: "base",
        text: `${existing?.file} builds on ${stage.from.image} (${kind === "python" ? "Python" : "Node"} ${version}); the tiers build on ${kind === "python" ? "Python" : "Node"} ${ours} (${why}): the verification runs the app on ${ours}, and the app's own tests should too`,
      },
    ];
  }
  return [];
}

/** The probes that prove an image works, the HEALTHCHECK's path and the command that keeps a run-to-completion app up. */
function verificationOf(
  project: Project,
  opts: OptimizeOptions,
): { probes: Probe[]; healthPath: string | undefined; verifyCommand: string[] | undefined } {
  const lab = opts.defaults;
  const probes = opts.probes ?? lab?.probes ?? defaultProbes(project);
  const healthPath =
    (opts.probes ?? lab?.probes)?.find((p): p is Extract<Probe, { kind: "http" }> => p.kind === "http")
      ?.path ?? lab?.healthPath;
  let verifyCommand = opts.verifyCommand;
  if (probes.length === 0 && lab?.commandProbe) {
    // A run-to-completion app (lab-004): keep the container up and run the entry as the probe.
    const cmd: Probe = { kind: "cmd", command: project.entry.argv.join(" ") };
    if (lab.commandProbe.output !== undefined) cmd.expectOutput = lab.commandProbe.output;
    if (lab.commandProbe.exitCode !== undefined) cmd.expectExitCode = lab.commandProbe.exitCode;
    probes.push(cmd);
    verifyCommand ??= [...languageOf(project).keepAlive];
  }
  if (probes.length === 0 && !opts.planOnly) {
    throw new InputError(
      "no probe to verify the image with: the app exposes no known port and the project has no lab.yaml",
      {
        hint: "pass --probe http://:PORT/PATH, --probe tcp:PORT or --probe 'cmd:COMMAND' (or --port PORT)",
      },
    );
  }
  return { probes, healthPath, verifyCommand };
}

/** A tier that failed verification never keeps the tag a verified one would have (as minify's TAG-unverified). */
async function markUnverified(engine: Engine, attempt: TierAttempt, keep: boolean): Promise<void> {
  const failed = attempt.image;
  if (!failed) return;
  if (keep && attempt.imageId) {
    attempt.image = `${failed}-unverified`;
    await tagLocalImage(engine, attempt.imageId, attempt.image);
  } else delete attempt.image;
  await untagLocalImage(engine, failed);
}

/** Each tier from the most aggressive down: planned, then built and verified, until one passes (every one with allTiers). */
async function runTiers(run: TierRun, tiers: Tier[]): Promise<TierOutcome> {
  const { opts, engine, progress } = run;
  const attempts: TierAttempt[] = [];
  let chosen: { tier: Tier; plan: PlannedFiles } | undefined;
  let lastPlan: PlannedFiles | undefined;
  for (const tier of tiers) {
    throwIfAborted(opts.signal);
    const planned = await planTier(run, tier);
    if ("refused" in planned) {
      attempts.push(planned.refused);
      continue;
    }
    const { plan } = planned;
    // The generated text must parse: a template bug is caught before the engine sees it.
    parseDockerfile(plan.dockerfile, { file: `optimize/${tier}/Dockerfile`, shell: false });
    lastPlan = plan;
    if (opts.planOnly) {
      attempts.push({
        tier,
        ok: false,
        status: "planned",
        dockerfile: plan.dockerfile,
        decisions: plan.decisions,
      });
      chosen ??= { tier, plan };
      if (!opts.allTiers) break;
      continue;
    }

    const attempt: TierAttempt = {
      tier,
      ok: false,
      status: "build-failed",
      dockerfile: plan.dockerfile,
      decisions: plan.decisions,
    };
    attempts.push(attempt);
    await buildAndVerifyTier(run, tier, plan, attempt);
    if (!attempt.ok && attempt.image && engine)
      await markUnverified(engine, attempt, opts.keepImages !== false);
    if (attempt.ok) {
      chosen ??= { tier, plan };
      if (!opts.allTiers) break;
    } else if (attempt.everyTier) {
      // The next tier would run the same tests (or meet the same index): no fallback to repeat it.
      progress({
        type: "phase",
        tier,
        message: `${tier} tier failed: ${attempt.reason}; no other tier can pass`,
        failed: { fallback: false },
      });
      break;
    } else {
      const fallback = tiers.indexOf(tier) < tiers.length - 1;
      progress({
        type: "phase",
        tier,
        message: `${tier} tier failed: ${attempt.reason}; ${fallback ? "falling back" : "no tier left"}`,
        failed: { fallback },
      });
    }
  }
  return { attempts, chosen, lastPlan };
}

/**
 * One tier's plan, with the discovery decisions first and, with an existing Dockerfile, rewritten
 * from it; refused (as a failed attempt) when the distroless tier would need a shell the old file uses.
 */
async function planTier(
  run: TierRun,
  tier: Tier,
): Promise<{ plan: PlannedFiles } | { refused: TierAttempt }> {
  const { opts, project, found, keepEntrypoint, entrypointText } = run;
  const { existing, discovery } = found;
  let plan = withAllowed(
    planFiles(project, tier, {
      ...(run.healthPath ? { healthPath: run.healthPath } : {}),
      ...(opts.skipTests ? { skipTests: true } : {}),
      ...(opts.cacheMounts === false ? { cacheMounts: false } : {}),
      ...(opts.baseImage ? { baseImage: opts.baseImage } : {}),
      ...(opts.runtimeBaseImage ? { runtimeBaseImage: opts.runtimeBaseImage } : {}),
      ...(run.baseEnv.length > 0 ? { baseEnv: run.baseEnv } : {}),
      ...(run.writable.length > 0 ? { writable: run.writable } : {}),
      ...(existing ? { appDir: run.appDir } : {}),
      ...(keepEntrypoint
        ? { entrypoint: keepEntrypoint.entrypointArgv ?? [], cmd: keepEntrypoint.cmdArgv ?? [] }
        : {}),
    }),
    opts.allowSecrets,
  );
  // Keys and credentials never go into an image (#16): refused before anything is built.
  await refuseSecretFiles(
    found.projectDir,
    contextFiles(found.files.list, plan.dockerignore),
    opts.allowSecrets,
  );
  plan.decisions = [...discovery, ...plan.decisions];
  if (!existing) return { plan };
  const rw = rewriteDockerfile(existing, plan, project, {
    frontendAvailable: run.frontendAvailable,
    ...(entrypointText !== undefined ? { entrypointText } : {}),
    ...(found.composeHealthcheck !== undefined ? { healthcheckText: found.composeHealthcheck } : {}),
  });
  const shellEntry =
    keepEntrypoint && entrypointText !== undefined && /^#!.*\b(sh|bash)\b/.test(entrypointText);
  if (tier === "distroless" && (rw.keptRunSteps > 0 || shellEntry)) {
    const why = [
      rw.keptRunSteps > 0
        ? `${rw.keptRunSteps} app RUN step(s) for the runtime stage${rw.keptPackages.length > 0 ? ` (with the packages ${rw.keptPackages.join(", ")})` : ""}`
        : "",
      shellEntry ? `an ENTRYPOINT shell script (${keepEntrypoint?.entrypointArgv?.[0]})` : "",
    ].filter(Boolean);
    return {
      refused: {
        tier,
        ok: false,
        status: "build-failed",
        reason: `${existing.file} has ${why.join(" and ")}, which need a shell: distroless has none`,
        dockerfile: rw.dockerfile,
        decisions: rw.decisions,
      },
    };
  }
  plan = { ...plan, dockerfile: rw.dockerfile };
  plan.decisions = [...discovery, ...rw.decisions, ...plan.decisions.slice(discovery.length)];
  return { plan };
}

/** Builds the tier's image in a fresh context and verifies it; a failure of the tier is recorded in the attempt. */
async function buildAndVerifyTier(
  run: TierRun,
  tier: Tier,
  plan: PlannedFiles,
  attempt: TierAttempt,
): Promise<void> {
  const { opts, project, engine, progress } = run;
  const ctx = await prepareContext(project, run.found.files.list, plan);
  const image = imageName(project.dir, tier, opts.repository);
  try {
    progress({ type: "phase", tier, message: `building the ${tier} tier` });
    const language = languageOf(project);
    const build = (reach: BuildInputs) =>
      buildImage({
        context: ctx,
        ...reach,
        tags: [image],
        labels: { "org.slimstage.optimize": tier, ...opts.labels },
        ...(opts.signal ? { signal: opts.signal } : {}),
        onProgress: (event) => progress({ type: "build", tier, event }),
        ...(engine ? { engine } : {}),
      });
    // The language's own build inputs for this run (Python: a package index of the run's own).
    const built = language.withBuildInputs
      ? await language.withBuildInputs(
          project,
          {
            signal: opts.signal,
            engine,
            ...(plan.builderBase ? { builderBase: plan.builderBase } : {}),
            progress: (message) => progress({ type: "phase", tier, message }),
          },
          build,
        )
      : await build(NO_BUILD_INPUTS);
    attempt.image = image;
    attempt.imageId = built.imageId;
    attempt.buildMs = built.durationMs;
    const info = engine ? await findEngineImage(built.imageId, engine) : undefined;
    if (info) attempt.sizeBytes = info.size;
    progress({ type: "phase", tier, message: `verifying ${image}` });
    const verify = await verifyTier(run, tier, built.imageId);
    attempt.verify = verify;
    if (verify.ok) {
      attempt.ok = true;
      attempt.status = "verified";
    } else {
      attempt.status = "verify-failed";
      attempt.reason = verifyFailureReason(verify);
    }
  } catch (e) {
    if (e instanceof InterruptedError) throw e;
    // A container that cannot start (no shell or npm in distroless) is this tier's failure, not a lost
    // engine: only when the engine itself no longer answers is the error the run's.
    const tierFailure =
      isSlimstageError(e) &&
      (e.kind === "build" ||
        e.kind === "verify" ||
        (e.kind === "engine" && attempt.image !== undefined && (await engineAnswers(engine))));
    if (!tierFailure) throw e;
    attempt.status = e.kind === "build" ? "build-failed" : "verify-failed";
    attempt.reason = failureReason(e);
    attempt.everyTier = failsEveryTier(e);
  } finally {
    await rm(ctx, { recursive: true, force: true });
  }
}

/** Verifies a built tier with the probes, against the original image when there is one. */
async function verifyTier(run: TierRun, tier: Tier, imageId: string): Promise<VerifyResult> {
  const { opts, progress } = run;
  const verifyOpts = {
    image: imageId,
    probes: run.probes,
    ...(run.compose ? { compose: run.compose } : {}),
    ...(run.verifyCommand ? { command: run.verifyCommand } : {}),
    ...(opts.verifyTimeoutMs ? { timeoutMs: opts.verifyTimeoutMs } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.labels ? { labels: opts.labels } : {}),
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.livenessMs !== undefined ? { livenessMs: opts.livenessMs } : {}),
    // The tier's own HEALTHCHECK (generated or the project's) must pass too.
    runHealthcheck: true,
    onProgress: (event: VerifyProgressEvent) => progress({ type: "verify", tier, event }),
  };
  // With an original image, the tier must answer its discovered request set alike (differential).
  return opts.against
    ? await (await import("../verify/differential.js")).verifyAgainst({
        ...verifyOpts,
        against: opts.against,
        ...(opts.maxRequests ? { discovery: { maxRequests: opts.maxRequests } } : {}),
      })
    : await verifyImage(verifyOpts);
}

/** The result of the chosen tier (or of the last plan), written into the project when asked and verified. */
async function finishResult(
  run: TierRun,
  { attempts, chosen, lastPlan }: TierOutcome,
): Promise<OptimizeResult> {
  const { opts, project } = run;
  const { existing, sub, fromPath, subDockerfile, projectDir } = run.found;
  const final = chosen?.plan ?? (lastPlan as PlannedFiles);
  // A Dockerfile whose context is the folder above a discovered sub-project is not overwritten.
  const target = existing && !sub ? fromPath : subDockerfile;
  const result: OptimizeResult = {
    project,
    ok: opts.planOnly ? false : chosen !== undefined,
    dockerfile: final.dockerfile,
    dockerignore: final.dockerignore,
    extraFiles: final.extraFiles,
    attempts,
    decisions: final.decisions,
    written: [],
    target,
  };
  if (chosen) result.tier = chosen.tier;
  if (existing) result.rewrittenFrom = existing.file;

  // Writing: only what was verified, never without `write`, always with backups.
  if (opts.write && result.ok) {
    await writeWithBackup(target, final.dockerfile, result.written);
    await writeWithBackup(path.join(projectDir, ".dockerignore"), final.dockerignore, result.written);
    for (const [rel, text] of Object.entries(final.extraFiles))
      await writeWithBackup(path.join(projectDir, rel), text, result.written);
  }
  return result;
}
