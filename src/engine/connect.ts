import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type Docker from "dockerode";
import { EngineError } from "../errors.js";
import {
  type DiscoveryHost,
  discoverEngines,
  type EngineCandidate,
  type StrategyReport,
} from "./discovery.js";
import { loadDockerode } from "./dockerode-load.js";
import { systemDiscoveryHost } from "./system-host.js";

// Re-exported: callers found it here before it moved to system-host.ts.
export { systemDiscoveryHost };

/**
 * A live connection to a container engine. `docker` is dockerode's client and
 * stays inside src/engine/: its types never reach the public API.
 */
export interface EngineConnection {
  readonly docker: Docker;
  /** How it was found, e.g. "DOCKER_HOST=unix:///var/run/docker.sock" or "default socket /var/run/docker.sock". */
  readonly source: string;
  /** The address as a DOCKER_HOST value, for spawning a CLI client against the same engine. */
  readonly host: string;
  /** Extra environment for a docker CLI aimed at this engine (TLS settings of a tcp:// engine). */
  readonly cliEnv?: Readonly<Record<string, string>>;
  /** The discovery strategy that found it ("DOCKER_HOST", "docker context", "default socket", "podman socket"). */
  readonly strategy: string;
  /** What each strategy looked at. */
  readonly discovery: readonly StrategyReport[];
}

/** The environment for spawning a docker CLI against the same engine as `conn`. */
export function engineCliEnv(
  conn: EngineConnection,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, DOCKER_HOST: conn.host, ...conn.cliEnv };
  // A context name would override DOCKER_HOST; the host is already resolved.
  delete env.DOCKER_CONTEXT;
  return env;
}

async function clientFor(c: EngineCandidate): Promise<Docker> {
  const Docker = loadDockerode();
  const e = c.endpoint;
  switch (e.kind) {
    case "unix":
      return new Docker({ socketPath: e.socketPath });
    case "tcp": {
      if (!e.tls) return new Docker({ protocol: "http", host: e.host, port: e.port });
      const read = (f: string) =>
        readFile(join(e.tls?.certPath ?? "", f)).catch((cause: unknown) => {
          throw new EngineError(`cannot read the TLS file ${f} in ${e.tls?.certPath} for ${c.detail}`, {
            cause,
            hint: "DOCKER_CERT_PATH must hold ca.pem, cert.pem and key.pem",
          });
        });
      const [ca, cert, key] = await Promise.all([read("ca.pem"), read("cert.pem"), read("key.pem")]);
      return new Docker({ protocol: "https", host: e.host, port: e.port, ca, cert, key });
    }
    case "ssh":
      return new Docker({
        protocol: "ssh",
        host: e.host,
        ...(e.port ? { port: e.port } : {}),
        ...(e.user ? { username: e.user } : {}),
        ...(process.env.SSH_AUTH_SOCK ? { sshOptions: { agent: process.env.SSH_AUTH_SOCK } } : {}),
      });
  }
}

function codeOf(err: unknown): string | undefined {
  if (typeof err === "object" && err !== null && "code" in err) {
    const c = (err as { code: unknown }).code;
    return typeof c === "string" ? c : undefined;
  }
  return undefined;
}

const REMOTE_HINT = "for an engine on another machine: DOCKER_HOST=ssh://user@bigger-host slimstage ...";

/** Turns a failed ping into an EngineError that says what to do. */
export function unreachableError(c: EngineCandidate, err: unknown): EngineError {
  const code = codeOf(err);
  const where = `${c.detail} (found by ${c.strategy})`;
  if (code === "EACCES" || code === "EPERM") {
    return new EngineError(`permission denied on the engine socket ${where}`, {
      cause: err,
      hint: "run as root, or add your user to the group owning the socket (`usermod -aG docker $USER`, then log in again)",
    });
  }
  if (code === "ENOENT") {
    return new EngineError(`the engine socket ${where} does not exist`, {
      cause: err,
      hint: `start the engine (\`slimstage setup\` as root on Debian/Ubuntu); ${REMOTE_HINT}`,
    });
  }
  if (code === "ECONNREFUSED" && c.endpoint.kind !== "unix") {
    const what = c.endpoint.kind === "ssh" ? "no ssh server" : "no engine";
    return new EngineError(`${what} listens at ${where}: connection refused`, {
      cause: err,
      hint: `check the address and that the ${c.endpoint.kind === "ssh" ? "ssh server and the engine run" : "engine runs and listens on that port"} there, or unset DOCKER_HOST to use the local engine`,
    });
  }
  if (code === "ECONNREFUSED") {
    return new EngineError(`nothing answers at ${where}: the engine is not running`, {
      cause: err,
      hint: `start it (\`slimstage setup\` as root on Debian/Ubuntu starts dockerd); ${REMOTE_HINT}`,
    });
  }
  const why = err instanceof Error ? err.message : String(err);
  return new EngineError(`the engine at ${where} does not answer: ${why}`, {
    cause: err,
    hint: `check that the engine runs there, or unset DOCKER_HOST to use the local one; ${REMOTE_HINT}`,
  });
}

async function ping(docker: Docker, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    await Promise.race([docker.ping(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ConnectOptions {
  /** Discovery input; default: this process's environment and file system. */
  readonly host?: DiscoveryHost;
  /** How long one engine may take to answer a ping (default 10 s). */
  readonly pingTimeoutMs?: number;
}

/**
 * Finds an engine through the ordered strategies (DOCKER_HOST, the current
 * docker context, the default socket, the Podman socket) and returns the
 * first that answers. An explicit choice that does not answer is an error,
 * not a reason to use another engine. Malformed settings throw InputError.
 */
export async function connectEngine(opts: ConnectOptions = {}): Promise<EngineConnection> {
  const found = await discoverEngines(opts.host ?? systemDiscoveryHost());
  if (found.candidates.length === 0) {
    const checked = found.reports.map((r) => `${r.strategy}: ${r.detail}`).join("; ");
    throw new EngineError(`no container engine found (${checked})`, {
      hint: `install and start one: \`slimstage setup\` (Debian/Ubuntu, as root) or \`apt-get install docker.io\`; ${REMOTE_HINT}`,
    });
  }
  let first: EngineError | undefined;
  for (const c of found.candidates) {
    try {
      const docker = await clientFor(c);
      await ping(docker, opts.pingTimeoutMs ?? 10_000);
      return {
        docker,
        source: `${c.strategy} ${c.detail}`,
        host: c.host,
        ...(c.cliEnv && Object.keys(c.cliEnv).length > 0 ? { cliEnv: c.cliEnv } : {}),
        strategy: c.strategy,
        discovery: found.reports,
      };
    } catch (err) {
      first ??= err instanceof EngineError ? err : unreachableError(c, err);
    }
  }
  throw first ?? new EngineError("no container engine answers");
}
