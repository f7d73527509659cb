import { createHash } from "node:crypto";
import { join } from "node:path";
import { InputError } from "../errors.js";

/**
 * What discovery may look at. Injected, so every strategy is unit-tested
 * without touching the machine.
 */
export interface DiscoveryHost {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
  /** Rejects when the file cannot be read. */
  readFile(path: string): Promise<string>;
  exists(path: string): Promise<boolean>;
}

/** Where an engine listens. */
export type EngineEndpoint =
  | { readonly kind: "unix"; readonly socketPath: string }
  | {
      readonly kind: "tcp";
      readonly host: string;
      readonly port: number;
      /** Present when TLS is on; the directory holds ca.pem, cert.pem, key.pem. */
      readonly tls?: { readonly verify: boolean; readonly certPath: string };
    }
  | { readonly kind: "ssh"; readonly host: string; readonly port?: number; readonly user?: string };

/** One engine a strategy found (not yet asked whether it answers). */
export interface EngineCandidate {
  /** The strategy's name, e.g. "DOCKER_HOST", "docker context", "default socket", "podman socket". */
  readonly strategy: string;
  /** Human detail: "DOCKER_HOST=tcp://build:2376", "context \"remote\"", "/var/run/docker.sock". */
  readonly detail: string;
  readonly endpoint: EngineEndpoint;
  /** The address as a DOCKER_HOST value. */
  readonly host: string;
  /** Environment a docker CLI needs besides DOCKER_HOST (TLS). */
  readonly cliEnv?: Readonly<Record<string, string>>;
  /**
   * Chosen explicitly (DOCKER_HOST, a docker context): when it does not
   * answer, discovery stops there instead of trying the next strategy.
   */
  readonly explicit: boolean;
}

/** What one strategy looked at, for `slimstage doctor`. */
export interface StrategyReport {
  readonly strategy: string;
  readonly outcome: "found" | "not applicable";
  readonly detail: string;
}

export interface DiscoveryStrategy {
  readonly name: string;
  /** Candidates in preference order (empty: nothing here); InputError on a malformed setting. */
  find(host: DiscoveryHost): Promise<{ candidates: EngineCandidate[]; detail: string }>;
}

const DEFAULT_TCP_PORT = 2375;
const DEFAULT_TLS_PORT = 2376;

function badHost(variable: string, value: string, why: string): InputError {
  return new InputError(`${variable}=${JSON.stringify(value)} is not a valid engine address: ${why}`, {
    hint: "use unix:///path/to/docker.sock, tcp://HOST:PORT or ssh://USER@HOST (or unset it to use the local engine)",
  });
}

/**
 * Parses a DOCKER_HOST-style address. `variable` names where it came from,
 * for the error message.
 */
export function parseEngineAddress(
  value: string,
  variable: string,
  tls?: { verify: boolean; certPath: string },
): EngineEndpoint {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(value.trim());
  if (!m) throw badHost(variable, value, "it has no scheme (unix://, tcp:// or ssh://)");
  const scheme = (m[1] ?? "").toLowerCase();
  const rest = m[2] ?? "";
  switch (scheme) {
    case "unix": {
      if (!rest.startsWith("/")) throw badHost(variable, value, "a unix socket needs an absolute path");
      return { kind: "unix", socketPath: rest };
    }
    case "tcp": {
      let url: URL;
      try {
        url = new URL(`tcp://${rest}`);
      } catch {
        throw badHost(variable, value, "the host or port cannot be read");
      }
      if (url.hostname === "") throw badHost(variable, value, "no host name");
      if (url.pathname !== "" && url.pathname !== "/")
        throw badHost(variable, value, "a tcp address takes no path");
      const port = url.port === "" ? (tls ? DEFAULT_TLS_PORT : DEFAULT_TCP_PORT) : Number(url.port);
      const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
      return tls ? { kind: "tcp", host: hostname, port, tls } : { kind: "tcp", host: hostname, port };
    }
    case "ssh": {
      let url: URL;
      try {
        url = new URL(`ssh://${rest}`);
      } catch {
        throw badHost(variable, value, "the user, host or port cannot be read");
      }
      if (url.hostname === "") throw badHost(variable, value, "no host name");
      if (url.pathname !== "" && url.pathname !== "/")
        throw badHost(variable, value, "an ssh address takes no path");
      return {
        kind: "ssh",
        host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        ...(url.port ? { port: Number(url.port) } : {}),
        ...(url.username ? { user: decodeURIComponent(url.username) } : {}),
      };
    }
    case "http":
    case "https":
      throw badHost(
        variable,
        value,
        `use tcp:// instead of ${scheme}:// (TLS is set with DOCKER_TLS_VERIFY)`,
      );
    case "npipe":
      throw badHost(variable, value, "named pipes exist only on Windows");
    default:
      throw badHost(variable, value, `unknown scheme ${scheme}://`);
  }
}

function dockerConfigDir(h: DiscoveryHost): string {
  return h.env.DOCKER_CONFIG && h.env.DOCKER_CONFIG !== "" ? h.env.DOCKER_CONFIG : join(h.homedir, ".docker");
}

/** DOCKER_HOST, with DOCKER_TLS_VERIFY / DOCKER_CERT_PATH for tcp://. */
export const dockerHostStrategy: DiscoveryStrategy = {
  name: "DOCKER_HOST",
  async find(h) {
    const value = h.env.DOCKER_HOST;
    if (value === undefined || value.trim() === "")
      return { candidates: [], detail: "DOCKER_HOST is not set" };
    const verify =
      h.env.DOCKER_TLS_VERIFY !== undefined &&
      h.env.DOCKER_TLS_VERIFY !== "" &&
      h.env.DOCKER_TLS_VERIFY !== "0";
    const certPath =
      h.env.DOCKER_CERT_PATH && h.env.DOCKER_CERT_PATH !== "" ? h.env.DOCKER_CERT_PATH : dockerConfigDir(h);
    const endpoint = parseEngineAddress(value, "DOCKER_HOST", verify ? { verify, certPath } : undefined);
    const cliEnv: Record<string, string> = {};
    if (endpoint.kind === "tcp" && endpoint.tls) {
      cliEnv.DOCKER_TLS_VERIFY = "1";
      cliEnv.DOCKER_CERT_PATH = certPath;
    }
    return {
      candidates: [
        {
          strategy: "DOCKER_HOST",
          detail: `DOCKER_HOST=${value}`,
          endpoint,
          host: value.trim(),
          cliEnv,
          explicit: true,
        },
      ],
      detail: `DOCKER_HOST=${value}`,
    };
  },
};

interface ContextMeta {
  Name?: unknown;
  Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } };
}

/** The current docker context: DOCKER_CONTEXT, else currentContext of ~/.docker/config.json. */
export const dockerContextStrategy: DiscoveryStrategy = {
  name: "docker context",
  async find(h) {
    const dir = dockerConfigDir(h);
    const configFile = join(dir, "config.json");
    let name = h.env.DOCKER_CONTEXT && h.env.DOCKER_CONTEXT !== "" ? h.env.DOCKER_CONTEXT : undefined;
    let from = "DOCKER_CONTEXT";
    if (!name) {
      const text = await h.readFile(configFile).catch(() => undefined);
      if (text === undefined) return { candidates: [], detail: `no ${configFile}` };
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (cause) {
        throw new InputError(`${configFile} is not valid JSON`, { cause, hint: "fix or remove the file" });
      }
      const current =
        typeof parsed === "object" && parsed !== null && "currentContext" in parsed
          ? (parsed as { currentContext: unknown }).currentContext
          : undefined;
      if (typeof current !== "string" || current === "") {
        return { candidates: [], detail: `no currentContext in ${configFile}` };
      }
      name = current;
      from = configFile;
    }
    if (name === "default")
      return { candidates: [], detail: `context "default" (${from}): the local defaults apply` };
    const id = createHash("sha256").update(name).digest("hex");
    const metaFile = join(dir, "contexts", "meta", id, "meta.json");
    const text = await h.readFile(metaFile).catch(() => undefined);
    if (text === undefined) {
      throw new InputError(`docker context "${name}" (from ${from}) does not exist: no ${metaFile}`, {
        hint: "list contexts with `docker context ls`, or switch with `docker context use default`",
      });
    }
    let meta: ContextMeta;
    try {
      meta = JSON.parse(text) as ContextMeta;
    } catch (cause) {
      throw new InputError(`${metaFile} (docker context "${name}") is not valid JSON`, { cause });
    }
    const hostValue = meta.Endpoints?.docker?.Host;
    if (typeof hostValue !== "string" || hostValue === "") {
      throw new InputError(`docker context "${name}" has no docker endpoint (${metaFile})`);
    }
    const tlsDir = join(dir, "contexts", "tls", id, "docker");
    const hasTls = await h.exists(join(tlsDir, "ca.pem"));
    const tls = hasTls
      ? { verify: meta.Endpoints?.docker?.SkipTLSVerify !== true, certPath: tlsDir }
      : undefined;
    const endpoint = parseEngineAddress(hostValue, `docker context "${name}"`, tls);
    const cliEnv: Record<string, string> = {};
    if (endpoint.kind === "tcp" && endpoint.tls) {
      if (endpoint.tls.verify) cliEnv.DOCKER_TLS_VERIFY = "1";
      cliEnv.DOCKER_CERT_PATH = tlsDir;
    }
    return {
      candidates: [
        {
          strategy: "docker context",
          detail: `context "${name}" (${hostValue})`,
          endpoint,
          host: hostValue,
          cliEnv,
          explicit: true,
        },
      ],
      detail: `context "${name}" from ${from}`,
    };
  },
};

async function socketCandidates(
  h: DiscoveryHost,
  strategy: string,
  paths: readonly string[],
): Promise<{ candidates: EngineCandidate[]; detail: string }> {
  const candidates: EngineCandidate[] = [];
  for (const p of paths) {
    if (await h.exists(p)) {
      candidates.push({
        strategy,
        detail: p,
        endpoint: { kind: "unix", socketPath: p },
        host: `unix://${p}`,
        explicit: false,
      });
    }
  }
  return {
    candidates,
    detail:
      candidates.length > 0 ? candidates.map((c) => c.detail).join(", ") : `none of ${paths.join(", ")}`,
  };
}

/** Docker's default socket (and a rootless dockerd's). */
export const defaultSocketStrategy: DiscoveryStrategy = {
  name: "default socket",
  find(h) {
    const paths = ["/var/run/docker.sock"];
    if (h.env.XDG_RUNTIME_DIR) paths.push(join(h.env.XDG_RUNTIME_DIR, "docker.sock"));
    return socketCandidates(h, "default socket", paths);
  },
};

/** Podman's Docker-compatible API socket: the user's, then the system's. */
export const podmanSocketStrategy: DiscoveryStrategy = {
  name: "podman socket",
  find(h) {
    const paths: string[] = [];
    if (h.env.XDG_RUNTIME_DIR) paths.push(join(h.env.XDG_RUNTIME_DIR, "podman", "podman.sock"));
    paths.push("/run/podman/podman.sock");
    return socketCandidates(h, "podman socket", paths);
  },
};

/** The strategies in the order they are asked. */
export const DEFAULT_STRATEGIES: readonly DiscoveryStrategy[] = [
  dockerHostStrategy,
  dockerContextStrategy,
  defaultSocketStrategy,
  podmanSocketStrategy,
];

export interface Discovery {
  /** Candidates to try, in order. An explicit one (DOCKER_HOST, a context) is alone. */
  readonly candidates: readonly EngineCandidate[];
  readonly reports: readonly StrategyReport[];
}

/**
 * Asks each strategy in order. The first explicit choice (DOCKER_HOST, a
 * non-default docker context) wins alone, as with the docker CLI; otherwise
 * every socket found is a candidate, to be tried in order.
 */
export async function discoverEngines(
  h: DiscoveryHost,
  strategies: readonly DiscoveryStrategy[] = DEFAULT_STRATEGIES,
): Promise<Discovery> {
  const candidates: EngineCandidate[] = [];
  const reports: StrategyReport[] = [];
  for (const s of strategies) {
    const found = await s.find(h);
    reports.push({
      strategy: s.name,
      outcome: found.candidates.length > 0 ? "found" : "not applicable",
      detail: found.detail,
    });
    const explicit = found.candidates.find((c) => c.explicit);
    if (explicit && candidates.length === 0) return { candidates: [explicit], reports };
    candidates.push(...found.candidates.filter((c) => !c.explicit));
  }
  return { candidates, reports };
}
