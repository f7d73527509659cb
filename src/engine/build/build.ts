import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { createInterface } from "node:readline";
import { BuildError, EngineError, InputError, InterruptedError, type SourceLocation } from "../../errors.js";
import { MANAGED_LABEL } from "../cleanup.js";
import { connectEngine, type EngineConnection, engineCliEnv } from "../connect.js";
import { buildKitInvocation, buildModeFromVersion, requireBuildKitClient } from "./client.js";
import { locateStep } from "./locate.js";
import { type BuildProgressEvent, BuildProgressParser, type BuildStep } from "./progress.js";

export type { BuildProgressEvent, BuildStep } from "./progress.js";

export interface BuildOptions {
  /** The build context directory. */
  context: string;
  /** Path of the Dockerfile (default: `<context>/Dockerfile`); relative paths are resolved from the current directory. */
  dockerfile?: string;
  target?: string;
  tags?: string[];
  buildArgs?: Record<string, string>;
  /** Extra image labels; `org.slimstage.managed=true` is always added. */
  labels?: Record<string, string>;
  /** "host" lets RUN steps reach the host's loopback; "default" is the engine's bridge (build/network.ts). */
  network?: "host" | "default";
  /** Names RUN steps resolve (`--add-host NAME:ADDRESS`): `slimstage-index` for the package index. */
  extraHosts?: Record<string, string>;
  /** Skip BuildKit's cache (`--no-cache`). */
  noCache?: boolean;
  signal?: AbortSignal;
  onProgress?: (e: BuildProgressEvent) => void;
  /** Reuse a connection (for removing partial tags after an interrupt). */
  engine?: EngineConnection;
}

export interface BuildResult {
  imageId: string;
  tags: string[];
  /** Every BuildKit step in order; `internal` marks bookkeeping steps. */
  steps: BuildStep[];
  durationMs: number;
  /** The full plain-progress log. */
  log: string;
}

/** A failed build: the failing step, the tail of its output and where it is in the Dockerfile. */
export class BuildStepError extends BuildError {
  readonly step?: BuildStep;
  readonly outputTail: string[];
  readonly dockerfile: string;
  readonly log: string;
  constructor(
    message: string,
    opts: {
      step?: BuildStep;
      outputTail: string[];
      dockerfile: string;
      log: string;
      location?: SourceLocation;
      sourceLine?: string;
      hint?: string;
    },
  ) {
    super(message, {
      ...(opts.location ? { location: opts.location } : {}),
      ...(opts.sourceLine !== undefined ? { sourceLine: opts.sourceLine } : {}),
      ...(opts.hint ? { hint: opts.hint } : {}),
    });
    if (opts.step) this.step = opts.step;
    this.outputTail = opts.outputTail;
    this.dockerfile = opts.dockerfile;
    this.log = opts.log;
  }
}

const MAX_LOG_CHARS = 4_000_000;
const TAIL_LINES = 20;

async function isDir(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
}

async function isFile(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined))?.isFile() ?? false;
}

/** Image ids the given tags point at now (absent tags are left out). */
async function tagTargets(engine: EngineConnection, tags: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const t of tags) {
    try {
      const info = await engine.docker.getImage(t).inspect();
      out.set(t, info.Id);
    } catch {
      // not there
    }
  }
  return out;
}

function killGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}

/**
 * Builds one image with BuildKit through a BuildKit-capable docker CLI,
 * reporting each step as it runs. Throws BuildStepError when the build fails,
 * InterruptedError (after stopping the build and removing tags it set) when
 * the signal fires, EngineError when no engine or BuildKit client is usable.
 */
export async function buildImage(opts: BuildOptions): Promise<BuildResult> {
  try {
    return await buildOnce(opts);
  } catch (e) {
    // dockerd 20.10's BuildKit can export a layer whose content a cache record names while the
    // layer store no longer has it (moby/moby#41595: "layer does not exist"; seen here after a
    // filtered `docker builder prune`, on minify's reproducible layers). The failed export drops
    // that record: the same build run once more went through. Only that error, only once.
    if (e instanceof BuildStepError && /exporting to image: .*layer does not exist/.test(e.message)) {
      return await buildOnce(opts);
    }
    throw e;
  }
}

async function buildOnce(opts: BuildOptions): Promise<BuildResult> {
  const started = Date.now();
  const context = resolve(opts.context);
  if (!(await isDir(context))) throw new InputError(`build context ${opts.context} is not a directory`);
  const dockerfile = resolve(opts.dockerfile ?? join(context, "Dockerfile"));
  if (!(await isFile(dockerfile))) {
    throw new InputError(`Dockerfile ${opts.dockerfile ?? join(opts.context, "Dockerfile")} not found`, {
      hint: "pass -f FILE, or run in the directory that holds the Dockerfile",
    });
  }
  if (opts.signal?.aborted) throw new InterruptedError(String(opts.signal.reason ?? "SIGINT"));
  const client = await requireBuildKitClient();
  const engine = opts.engine ?? (await connectEngine());
  const tags = opts.tags ?? [];
  const before = await tagTargets(engine, tags);

  const tmp = await mkdtemp(join(tmpdir(), "slimstage-build-"));
  const iidfile = join(tmp, "iid");
  const args = ["--progress=plain", "--iidfile", iidfile, "-f", dockerfile];
  if (opts.target) args.push("--target", opts.target);
  for (const t of tags) args.push("-t", t);
  for (const [k, v] of Object.entries(opts.buildArgs ?? {})) args.push("--build-arg", `${k}=${v}`);
  for (const [k, v] of Object.entries({ ...opts.labels, [MANAGED_LABEL]: "true" }))
    args.push("--label", `${k}=${v}`);
  if (opts.network === "host") args.push("--network", "host");
  for (const [name, address] of Object.entries(opts.extraHosts ?? {}))
    args.push("--add-host", `${name}:${address}`);
  if (opts.noCache) args.push("--no-cache");
  args.push(context);
  const mode = buildModeFromVersion(
    (await engine.docker.version().catch(() => ({}))) as { Components?: { Name?: string }[] },
  );
  const inv = buildKitInvocation(client, args, engineCliEnv(engine), mode);

  const parser = new BuildProgressParser(opts.onProgress);
  let log = "";
  const onLine = (line: string) => {
    if (log.length < MAX_LOG_CHARS) log += `${line}\n`;
    parser.push(line);
  };

  let interrupted = false;
  let exit: { code: number | null; signal: NodeJS.Signals | null };
  try {
    exit = await new Promise((resolvePromise, reject) => {
      // Its own process group, so that Ctrl-C reaches the whole build through us only.
      const child = spawn(inv.file, inv.args, {
        env: inv.env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      const rl1 = createInterface({ input: child.stdout });
      const rl2 = createInterface({ input: child.stderr });
      rl1.on("line", onLine);
      rl2.on("line", onLine);
      let forceTimer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        interrupted = true;
        killGroup(child.pid, "SIGINT");
        forceTimer = setTimeout(() => killGroup(child.pid, "SIGKILL"), 5_000);
      };
      if (opts.signal?.aborted) onAbort();
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      child.on("error", (err) => {
        opts.signal?.removeEventListener("abort", onAbort);
        reject(new EngineError(`could not run ${inv.file}`, { cause: err }));
      });
      child.on("close", (code, signal) => {
        if (forceTimer) clearTimeout(forceTimer);
        opts.signal?.removeEventListener("abort", onAbort);
        resolvePromise({ code, signal });
      });
    });

    if (interrupted) {
      await removeNewTags(engine, tags, before);
      throw new InterruptedError(String(opts.signal?.reason ?? "SIGINT"));
    }
    if (exit.code !== 0) {
      const err = await failure(parser, dockerfile, log, exit.code);
      // A step that "failed" because the engine went away is the engine's failure (exit 3),
      // not the build's: ask the engine instead of guessing from the log's wording.
      if (err instanceof BuildStepError && !(await engineAnswers(engine))) {
        throw new EngineError(`the engine stopped answering during the build: ${err.message}`, {
          hint: "check that dockerd is running (`slimstage doctor`)",
        });
      }
      throw err;
    }
    const iid = (await readFile(iidfile, "utf8").catch(() => "")).trim() || parser.imageId;
    if (!iid)
      throw new BuildError("the build finished but reported no image id", { hint: "run with --verbose" });
    return { imageId: iid, tags, steps: parser.steps, durationMs: Date.now() - started, log };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** After an interrupt: drop tags this build moved (tags it did not touch stay). */
async function removeNewTags(
  engine: EngineConnection,
  tags: readonly string[],
  before: ReadonlyMap<string, string>,
): Promise<void> {
  const after = await tagTargets(engine, tags);
  for (const [tag, id] of after) {
    if (before.get(tag) === id) continue;
    try {
      await engine.docker.getImage(tag).remove({ noprune: false });
    } catch {
      // best effort: the tag may be in use or already gone
    }
  }
}

/** True when the engine answers a ping within a few seconds. */
async function engineAnswers(engine: EngineConnection): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => {
    timer = setTimeout(() => r(false), 3_000);
  });
  try {
    return await Promise.race([
      engine.docker.ping().then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function failure(
  parser: BuildProgressParser,
  dockerfile: string,
  log: string,
  code: number | null,
): Promise<BuildStepError | EngineError> {
  const step = parser.failedStep;
  const shownFile = relative(process.cwd(), dockerfile) || dockerfile;
  let location: SourceLocation | undefined;
  let sourceLine: string | undefined;
  const text = await readFile(dockerfile, "utf8").catch(() => "");
  const printed = parser.locations.at(-1);
  const lines = text.split(/\r?\n/);
  if (printed) {
    location = { file: shownFile, line: printed.line, column: 1 };
    sourceLine = lines[printed.line - 1];
  } else if (step && !step.internal) {
    const found = locateStep(text, step);
    if (found) {
      location = { file: shownFile, line: found.line, column: 1, endLine: found.endLine };
      sourceLine = found.sourceLine;
    }
  }
  const reason = step?.error ?? parser.finalError ?? `the build client exited with code ${code ?? "?"}`;
  const where = step ? ` at step ${step.name}` : "";
  const outputTail = (step?.output ?? log.trimEnd().split("\n")).slice(-TAIL_LINES);
  const daemonGone = /Cannot connect to the Docker daemon|error during connect|connection refused|EOF$/i.test(
    `${reason}\n${log.slice(-2000)}`,
  );
  if (daemonGone && !step) {
    return new EngineError(`the engine stopped answering during the build: ${reason}`, {
      hint: "check that dockerd is running (`slimstage doctor`)",
    });
  }
  return new BuildStepError(`build failed${where}: ${reason}`, {
    ...(step ? { step } : {}),
    outputTail,
    dockerfile: shownFile,
    log,
    ...(location ? { location } : {}),
    ...(sourceLine !== undefined ? { sourceLine } : {}),
    ...(daemonGone ? { hint: "the engine went away during the build; check `slimstage doctor`" } : {}),
  });
}
