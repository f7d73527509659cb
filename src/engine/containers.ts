import { PassThrough, type Readable } from "node:stream";
import { EngineError, InputError } from "../errors.js";
import { isNotFound, MANAGED_LABEL } from "./cleanup.js";
import type { EngineConnection } from "./connect.js";
import { type PortPublishing, publishBody } from "./ports.js";
import { engineTrouble } from "./trouble.js";

export interface HealthcheckSpec {
  /** Engine form: ["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"]. */
  test: string[];
  intervalMs?: number;
  timeoutMs?: number;
  retries?: number;
  startPeriodMs?: number;
}

export interface ContainerSpec {
  image: string;
  name?: string;
  env?: Record<string, string>;
  cmd?: string[];
  entrypoint?: string[];
  labels?: Record<string, string>;
  network?: { name: string; aliases: string[] };
  healthcheck?: HealthcheckSpec;
  /** Run docker's init (tini) as PID 1, so that the entrypoint gets signals (a tracer must flush on stop). */
  init?: boolean;
  /** Capabilities to add (the tracer needs SYS_PTRACE). */
  capAdd?: string[];
  /** Ports to publish to ephemeral host ports (probes on engines whose networks this host cannot route to). */
  publish?: PortPublishing;
}

const ms = (n: number | undefined) => (n === undefined ? undefined : Math.round(n * 1e6));

/** The Engine API body that creates the container `spec` describes (labelled as ours). */
export function containerCreateBody(spec: ContainerSpec): Record<string, unknown> {
  const hc = spec.healthcheck;
  const pub = spec.publish && spec.publish.ports.length > 0 ? publishBody(spec.publish) : undefined;
  return {
    Image: spec.image,
    Env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(spec.cmd ? { Cmd: spec.cmd } : {}),
    ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
    Labels: { ...spec.labels, [MANAGED_LABEL]: "true" },
    ...(pub ? { ExposedPorts: pub.ExposedPorts } : {}),
    ...(hc
      ? {
          Healthcheck: {
            Test: hc.test,
            ...(hc.intervalMs !== undefined ? { Interval: ms(hc.intervalMs) } : {}),
            ...(hc.timeoutMs !== undefined ? { Timeout: ms(hc.timeoutMs) } : {}),
            ...(hc.retries !== undefined ? { Retries: hc.retries } : {}),
            ...(hc.startPeriodMs !== undefined ? { StartPeriod: ms(hc.startPeriodMs) } : {}),
          },
        }
      : {}),
    HostConfig: {
      ...(spec.network ? { NetworkMode: spec.network.name } : {}),
      ...(spec.init ? { Init: true } : {}),
      ...(spec.capAdd?.length ? { CapAdd: spec.capAdd } : {}),
      ...(pub ? { PortBindings: pub.PortBindings } : {}),
      // No restarts: a crash must show as a crash.
      RestartPolicy: { Name: "no" },
    },
    ...(spec.network
      ? { NetworkingConfig: { EndpointsConfig: { [spec.network.name]: { Aliases: spec.network.aliases } } } }
      : {}),
  };
}

/** Creates (does not start) a labelled container. */
export async function createContainer(engine: EngineConnection, spec: ContainerSpec): Promise<string> {
  try {
    const c = await engine.docker.createContainer({
      ...(containerCreateBody(spec) as Parameters<EngineConnection["docker"]["createContainer"]>[0]),
      ...(spec.name ? { name: spec.name } : {}),
    });
    return c.id;
  } catch (err) {
    if (isNotFound(err)) throw new InputError(`image ${spec.image} is not in the engine's image store`);
    throw engineTrouble(`could not create a container from ${spec.image}`, err);
  }
}

export async function startContainer(engine: EngineConnection, id: string): Promise<void> {
  try {
    await engine.docker.getContainer(id).start();
  } catch (err) {
    throw engineTrouble(`could not start container ${id.slice(0, 12)}`, err);
  }
}

/** Stops a container: SIGTERM (to its init, when it has one), SIGKILL after `timeoutS`. */
export async function stopContainer(engine: EngineConnection, id: string, timeoutS: number): Promise<void> {
  try {
    await engine.docker.getContainer(id).stop({ t: timeoutS });
  } catch (err) {
    // 304: already stopped.
    if ((err as { statusCode?: unknown }).statusCode === 304) return;
    throw engineTrouble(`could not stop container ${id.slice(0, 12)}`, err);
  }
}

export interface ContainerState {
  running: boolean;
  status: string;
  exitCode: number;
  /** "starting" | "healthy" | "unhealthy", when the container has a healthcheck. */
  health?: string;
  /** The last healthcheck output, when there is one. */
  healthLog?: string;
  oomKilled: boolean;
  error?: string;
  /** Times the engine restarted it (a restart policy); verify's liveness check fails on any. */
  restartCount: number;
  /** Address on each network. */
  ips: Record<string, string>;
}

export async function containerState(engine: EngineConnection, id: string): Promise<ContainerState> {
  let info: Awaited<ReturnType<ReturnType<EngineConnection["docker"]["getContainer"]>["inspect"]>>;
  try {
    info = await engine.docker.getContainer(id).inspect();
  } catch (err) {
    throw engineTrouble(`could not inspect container ${id.slice(0, 12)}`, err);
  }
  const s = info.State;
  const health = (s as { Health?: { Status?: string; Log?: { Output?: string }[] } }).Health;
  const ips: Record<string, string> = {};
  for (const [name, n] of Object.entries(info.NetworkSettings?.Networks ?? {})) ips[name] = n.IPAddress;
  const lastLog = health?.Log?.at(-1)?.Output?.trim();
  return {
    running: s.Running,
    status: s.Status,
    exitCode: s.ExitCode,
    ...(health?.Status ? { health: health.Status } : {}),
    ...(lastLog ? { healthLog: lastLog } : {}),
    oomKilled: s.OOMKilled,
    ...(s.Error ? { error: s.Error } : {}),
    restartCount: info.RestartCount ?? 0,
    ips,
  };
}

/**
 * Resolves with the exit code when the container next stops; call it before
 * starting the container. Engine trouble rejects; the promise never rejects
 * unhandled (callers race it).
 */
export function waitForExit(engine: EngineConnection, id: string): Promise<number> {
  const p = engine.docker
    .getContainer(id)
    .wait({ condition: "next-exit" })
    .then((r: { StatusCode?: number }) => r.StatusCode ?? -1);
  p.catch(() => {});
  return p;
}

/** Splits Docker's multiplexed (non-TTY) log format into text. */
function demuxBuffer(buf: Buffer): string {
  let out = "";
  let i = 0;
  while (i + 8 <= buf.length) {
    const type = buf[i];
    const len = buf.readUInt32BE(i + 4);
    if (type === undefined || type > 2 || i + 8 + len > buf.length)
      return out + buf.subarray(i).toString("utf8");
    out += buf.subarray(i + 8, i + 8 + len).toString("utf8");
    i += 8 + len;
  }
  return out;
}

/** The container's output so far (stdout and stderr interleaved), last `tail` lines. */
export async function containerLogs(engine: EngineConnection, id: string, tail = 200): Promise<string> {
  try {
    const raw: unknown = await engine.docker
      .getContainer(id)
      .logs({ stdout: true, stderr: true, tail, follow: false });
    if (Buffer.isBuffer(raw)) return demuxBuffer(raw);
    return String(raw);
  } catch (err) {
    throw engineTrouble(`could not read logs of ${id.slice(0, 12)}`, err);
  }
}

/** Follows the container's output line by line until `signal` fires or the container ends. */
export async function followLogs(
  engine: EngineConnection,
  id: string,
  onLine: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const stream = (await engine.docker
    .getContainer(id)
    .logs({ stdout: true, stderr: true, follow: true })) as unknown as Readable;
  const out = new PassThrough();
  engine.docker.modem.demuxStream(stream, out, out);
  let pending = "";
  out.setEncoding("utf8");
  out.on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const l of lines) onLine(l.replace(/\r$/, ""));
  });
  await new Promise<void>((resolve) => {
    const done = () => {
      if (pending) onLine(pending);
      pending = "";
      resolve();
    };
    stream.on("end", done);
    stream.on("error", done);
    signal.addEventListener(
      "abort",
      () => {
        (stream as Readable & { destroy(): void }).destroy();
        done();
      },
      { once: true },
    );
  });
}

/** The engine refused an exec because the container is not running (it exited). */
export class ContainerNotRunningError extends EngineError {}

export interface ExecResult {
  exitCode: number;
  output: string;
}

/** Runs a command in a running container and collects its output. */
export async function execInContainer(
  engine: EngineConnection,
  id: string,
  cmd: string[],
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ExecResult> {
  try {
    const exec = await engine.docker
      .getContainer(id)
      .exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as Readable;
    const out = new PassThrough();
    engine.docker.modem.demuxStream(stream, out, out);
    let output = "";
    out.setEncoding("utf8");
    out.on("data", (d: string) => {
      if (output.length < 1_000_000) output += d;
    });
    await new Promise<void>((resolve, reject) => {
      const timer =
        opts.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              stream.destroy();
              reject(new EngineError(`command timed out after ${opts.timeoutMs} ms: ${cmd.join(" ")}`));
            }, opts.timeoutMs);
      const onAbort = () => {
        stream.destroy();
        resolve();
      };
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      stream.on("end", () => {
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener("abort", onAbort);
        resolve();
      });
      stream.on("error", (e) => {
        if (timer) clearTimeout(timer);
        reject(e);
      });
    });
    const info = await exec.inspect();
    return { exitCode: info.ExitCode ?? -1, output };
  } catch (err) {
    if (err instanceof EngineError) throw err;
    // 409: the container stopped between the probe's start and the exec; that
    // is the app's failure, not the engine's.
    if (typeof err === "object" && err !== null && (err as { statusCode?: unknown }).statusCode === 409) {
      throw new ContainerNotRunningError(`container ${id.slice(0, 12)} is not running`, { cause: err });
    }
    throw engineTrouble(`could not run a command in ${id.slice(0, 12)}`, err);
  }
}
