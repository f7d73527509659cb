import { spawn } from "node:child_process";
import { access, constants, realpath } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { BuildError, EngineError, InterruptedError } from "../../errors.js";

/** A docker CLI that can build with BuildKit, and how to ask it to. */
export interface BuildKitClient {
  /** Absolute path of the docker CLI binary. */
  readonly path: string;
  /** The client's version as it reports it, e.g. "20.10.24+dfsg1". */
  readonly version: string;
  /**
   * "buildx": `docker buildx build --load` works (the buildx plugin is present);
   * "DOCKER_BUILDKIT": `DOCKER_BUILDKIT=1 docker build` uses the built-in BuildKit client.
   */
  readonly mode: "buildx" | "DOCKER_BUILDKIT";
  /** What proved it, in words (for `slimstage doctor`). */
  readonly detectedBy: string;
}

/** What the probe made of one docker CLI. */
export interface ClientExamination {
  readonly path: string;
  readonly version?: string;
  readonly buildKit?: BuildKitClient;
  /** Why it cannot build with BuildKit, when it cannot. */
  readonly reason?: string;
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunCliOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** Bytes or a stream to feed on stdin. */
  readonly input?: NodeJS.ReadableStream | string;
  /** Kill after this many ms (the result then has code 124). */
  readonly timeoutMs?: number;
  /** Called with each chunk of stderr (build progress). */
  readonly onStderr?: (chunk: string) => void;
}

/**
 * Runs a program and collects its output. Never throws for a non-zero exit;
 * throws InterruptedError when the signal fires (the child is killed first).
 */
export function runCli(file: string, args: readonly string[], opts: RunCliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new InterruptedError(String(opts.signal.reason ?? "SIGINT")));
      return;
    }
    const child = spawn(file, [...args], {
      env: opts.env ?? process.env,
      stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let aborted = false;
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      opts.onStderr?.(d);
    });
    const onAbort = () => {
      aborted = true;
      child.kill("SIGTERM");
    };
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
          }, opts.timeoutMs);
    if (opts.input !== undefined && child.stdin) {
      // A consumer that exits early closes the pipe: not an error of ours.
      child.stdin.on("error", () => {});
      if (typeof opts.input === "string") child.stdin.end(opts.input);
      else opts.input.pipe(child.stdin);
    }
    child.on("error", (err) => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      reject(err);
    });
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      if (aborted) {
        reject(new InterruptedError(String(opts.signal?.reason ?? "SIGINT")));
        return;
      }
      resolve({ code: timedOut ? 124 : (code ?? 1), stdout, stderr });
    });
  });
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every `docker` on PATH, then /usr/bin/docker, without duplicates, in that order. */
export async function dockerCandidates(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const dirs = (env.PATH ?? "").split(delimiter).filter((d) => d.length > 0);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of [...dirs.map((d) => join(d, "docker")), "/usr/bin/docker"]) {
    if (!(await isExecutable(p))) continue;
    // /bin/docker and /usr/bin/docker are one binary on merged-/usr systems.
    const real = await realpath(p).catch(() => p);
    if (seen.has(real)) continue;
    seen.add(real);
    out.push(p);
  }
  return out;
}

/**
 * Decides by capability whether one docker CLI can build with BuildKit:
 * first a working buildx plugin, then the built-in BuildKit client of
 * `docker build` (its help lists BuildKit-only flags such as `--ssh` and
 * `--secret`; the legacy-only builder of a buildx-less 23+ client does not
 * accept DOCKER_BUILDKIT=1 at all, so we ask `docker build --help` under it).
 */
export async function examineDockerClient(path: string): Promise<ClientExamination> {
  const version = await runCli(path, ["version", "--format", "{{.Client.Version}}"], {
    timeoutMs: 10_000,
  }).catch(() => undefined);
  const clientVersion = version?.stdout.trim().split("\n")[0] ?? "";
  if (!version || clientVersion === "") return { path, reason: "does not answer `docker version`" };

  const buildx = await runCli(path, ["buildx", "version"], { timeoutMs: 10_000 }).catch(() => undefined);
  if (buildx && buildx.code === 0 && /buildx/i.test(buildx.stdout)) {
    const detectedBy = `\`docker buildx version\` answered: ${buildx.stdout.trim().split("\n")[0]}`;
    return {
      path,
      version: clientVersion,
      buildKit: { path, version: clientVersion, mode: "buildx", detectedBy },
    };
  }

  const major = Number.parseInt(clientVersion, 10);
  const help = await runCli(path, ["build", "--help"], {
    env: { ...process.env, DOCKER_BUILDKIT: "1" },
    timeoutMs: 10_000,
  }).catch(() => undefined);
  const text = `${help?.stdout ?? ""}${help?.stderr ?? ""}`;
  // Clients from 23 on hand `docker build` to buildx; without the plugin they
  // either refuse DOCKER_BUILDKIT=1 or silently use the legacy builder.
  const builtIn = Number.isFinite(major) && major >= 18 && major < 23;
  if (help && help.code === 0 && builtIn && /--secret/.test(text) && /--ssh/.test(text)) {
    const detectedBy =
      "`DOCKER_BUILDKIT=1 docker build --help` offers BuildKit's --secret and --ssh (built-in BuildKit client)";
    return {
      path,
      version: clientVersion,
      buildKit: { path, version: clientVersion, mode: "DOCKER_BUILDKIT", detectedBy },
    };
  }
  const reason = builtIn
    ? "its `docker build` offers no BuildKit options"
    : "no buildx plugin, and clients from 23 on need it for BuildKit (its `docker build` is the legacy builder)";
  return { path, version: clientVersion, reason };
}

/**
 * Decides by capability whether one docker CLI can build with BuildKit:
 * first a working buildx plugin, then the built-in BuildKit client of
 * `docker build` (its help lists BuildKit-only flags such as `--ssh` and
 * `--secret`).
 */
export async function probeBuildKitClient(path: string): Promise<BuildKitClient | undefined> {
  return (await examineDockerClient(path)).buildKit;
}

/** Every docker CLI candidate and what it can do. */
export async function examineDockerClients(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ClientExamination[]> {
  const out: ClientExamination[] = [];
  for (const path of await dockerCandidates(env)) out.push(await examineDockerClient(path));
  return out;
}

/**
 * Finds a docker CLI that builds with BuildKit, checking every `docker` on
 * PATH and /usr/bin/docker by what it can do, not by its name or place.
 * Returns undefined when none can.
 */
export async function findBuildKitClient(
  env: NodeJS.ProcessEnv = process.env,
): Promise<BuildKitClient | undefined> {
  for (const path of await dockerCandidates(env)) {
    const found = await probeBuildKitClient(path);
    if (found) return found;
  }
  return undefined;
}

let cached: Promise<BuildKitClient | undefined> | undefined;

/** findBuildKitClient once per process, or an EngineError saying what to install. */
export async function requireBuildKitClient(): Promise<BuildKitClient> {
  cached ??= findBuildKitClient();
  const found = await cached;
  if (!found) {
    cached = undefined;
    throw new EngineError(
      "no BuildKit-capable docker client found (checked every `docker` on PATH and /usr/bin/docker)",
      {
        hint: "install Debian's docker.io (`slimstage setup`, which provides /usr/bin/docker with BuildKit built in) or the docker buildx plugin",
      },
    );
  }
  return found;
}

/**
 * How an engine builds: "buildkit" (Docker: a BuildKit session from the
 * client), or "classic" (Podman: its Engine API serves the classic /build,
 * done by buildah, but no BuildKit session, so the client's BuildKit mode
 * fails there while its classic mode, DOCKER_BUILDKIT=0, works).
 */
export type EngineBuildMode = "buildkit" | "classic";

/** Which build an engine answers to, from its /version (Podman names itself in Components). */
export function buildModeFromVersion(version: { Components?: { Name?: string }[] | null }): EngineBuildMode {
  return (version.Components ?? []).some((c) => /podman/i.test(c.Name ?? "")) ? "classic" : "buildkit";
}

/** The argv and environment for a build with the given client (BuildKit unless the engine is classic). */
export function buildKitInvocation(
  client: BuildKitClient,
  buildArgs: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  mode: EngineBuildMode = "buildkit",
): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
  if (mode === "classic") {
    return { file: client.path, args: ["build", ...buildArgs], env: { ...env, DOCKER_BUILDKIT: "0" } };
  }
  if (client.mode === "buildx") {
    return { file: client.path, args: ["buildx", "build", "--load", ...buildArgs], env };
  }
  return { file: client.path, args: ["build", ...buildArgs], env: { ...env, DOCKER_BUILDKIT: "1" } };
}

/**
 * Runs one BuildKit build with plain progress; rejects with BuildError
 * carrying the tail of the log on failure.
 */
export async function runBuildKitBuild(
  client: BuildKitClient,
  buildArgs: readonly string[],
  opts: {
    signal?: AbortSignal;
    env?: NodeJS.ProcessEnv;
    onLog?: (chunk: string) => void;
    what?: string;
  } = {},
): Promise<void> {
  const inv = buildKitInvocation(client, ["--progress=plain", ...buildArgs], opts.env ?? process.env);
  const res = await runCli(inv.file, inv.args, {
    env: inv.env,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onLog ? { onStderr: opts.onLog } : {}),
  });
  if (res.code !== 0) {
    const tail = res.stderr.trim().split("\n").slice(-25).join("\n");
    throw new BuildError(`build of ${opts.what ?? "image"} failed (exit ${res.code}):\n${tail}`);
  }
}
