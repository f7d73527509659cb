import { type LocalBase, listBases } from "../bases/list.js";
import {
  type BuildKitClient,
  buildModeFromVersion,
  type ClientExamination,
  type EngineBuildMode,
  examineDockerClients,
} from "../engine/build/client.js";
import {
  type ConnectOptions,
  connectEngine,
  type EngineConnection,
  systemDiscoveryHost,
} from "../engine/connect.js";
import type { StrategyReport } from "../engine/discovery.js";
import { discoverEngines } from "../engine/discovery.js";
import { isSlimstageError } from "../errors.js";

/** The engine as doctor saw it. */
export interface EngineFacts {
  readonly strategy: string;
  readonly source: string;
  readonly host: string;
  readonly serverVersion: string;
  readonly apiVersion: string;
  readonly minApiVersion?: string;
  readonly os: string;
  readonly osType: string;
  readonly arch: string;
  readonly kernel: string;
  readonly storageDriver: string;
  readonly cgroupVersion?: string;
  readonly cgroupDriver?: string;
  readonly cpus: number;
  readonly memoryBytes: number;
  /** How builds reach it: "buildkit" (Docker), "classic" (Podman's /build, buildah; no BuildKit session). */
  readonly buildMode: EngineBuildMode;
}

export interface RegistryCheck {
  readonly checked: boolean;
  readonly registry: string;
  readonly reachable?: boolean;
  readonly detail: string;
}

export interface DoctorReport {
  readonly ok: boolean;
  readonly discovery: readonly StrategyReport[];
  readonly engine?: EngineFacts;
  /** Why no engine could be used, when none could. */
  readonly engineError?: { readonly message: string; readonly hint?: string };
  readonly buildKitClient?: BuildKitClient;
  readonly dockerClients: readonly ClientExamination[];
  readonly registry: RegistryCheck;
  readonly bases: ReadonlyArray<
    Pick<
      LocalBase,
      "name" | "ref" | "present" | "size" | "standIn" | "aliases" | "official" | "ratioToOfficial"
    >
  >;
  /** Things to fix, in words; empty when all is well. */
  readonly problems: readonly string[];
}

export interface DoctorOptions extends ConnectOptions {
  /** Skip the registry check (no traffic beyond the engine). */
  readonly offline?: boolean;
  /** The image whose manifest the engine is asked for, to tell whether a registry answers. */
  readonly registryProbe?: string;
  readonly registryTimeoutMs?: number;
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

async function engineFacts(conn: EngineConnection): Promise<EngineFacts> {
  const [v, i] = await Promise.all([conn.docker.version(), conn.docker.info()]);
  const version = v as unknown as Record<string, unknown>;
  const info = i as unknown as Record<string, unknown>;
  const str = (o: Record<string, unknown>, k: string) => (typeof o[k] === "string" ? (o[k] as string) : "");
  const num = (o: Record<string, unknown>, k: string) => (typeof o[k] === "number" ? (o[k] as number) : 0);
  const cg = str(info, "CgroupVersion");
  const cgd = str(info, "CgroupDriver");
  const min = str(version, "MinAPIVersion");
  return {
    strategy: conn.strategy,
    source: conn.source,
    host: conn.host,
    serverVersion: str(version, "Version"),
    apiVersion: str(version, "ApiVersion"),
    ...(min ? { minApiVersion: min } : {}),
    os: str(info, "OperatingSystem"),
    osType: str(info, "OSType"),
    arch: str(info, "Architecture"),
    kernel: str(info, "KernelVersion"),
    storageDriver: str(info, "Driver"),
    ...(cg ? { cgroupVersion: cg } : {}),
    ...(cgd ? { cgroupDriver: cgd } : {}),
    cpus: num(info, "NCPU"),
    memoryBytes: num(info, "MemTotal"),
    buildMode: buildModeFromVersion(v as { Components?: { Name?: string }[] }),
  };
}

/**
 * Asks the engine (not this process) for an image's manifest: that is the
 * path a pull would take, through the engine's proxy and mirror settings.
 */
async function checkRegistry(conn: EngineConnection, ref: string, timeoutMs: number): Promise<RegistryCheck> {
  const registry =
    ref.includes("/") && /[.:]/.test(ref.split("/")[0] ?? "") ? (ref.split("/")[0] ?? ref) : "docker.io";
  try {
    // dockerode has no typed call for GET /distribution/{name}/json; the modem does the request.
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        conn.docker.modem.dial(
          {
            path: `/distribution/${ref}/json`,
            method: "GET",
            statusCodes: {
              200: true,
              401: "unauthorized",
              403: "forbidden",
              404: "no such image",
              500: "server error",
            },
          },
          (err: unknown) => (err ? reject(err) : resolve()),
        );
      }),
      timeoutMs,
      "registry",
    );
    return { checked: true, registry, reachable: true, detail: `the engine fetched the manifest of ${ref}` };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { checked: true, registry, reachable: false, detail: msg.split("\n")[0]?.slice(0, 300) ?? msg };
  }
}

/** Everything `slimstage doctor` reports. Never throws for a missing engine: that is part of the report. */
export async function runDoctor(opts: DoctorOptions = {}): Promise<DoctorReport> {
  const problems: string[] = [];
  let discovery: readonly StrategyReport[] = [];
  let conn: EngineConnection | undefined;
  let engineError: DoctorReport["engineError"];
  try {
    conn = await connectEngine(opts);
    discovery = conn.discovery;
  } catch (err) {
    // A malformed DOCKER_HOST or context is the user's input to fix (exit 2), not a missing engine.
    if (!isSlimstageError(err) || err.kind === "input") throw err;
    engineError = { message: err.message, ...(err.hint ? { hint: err.hint } : {}) };
    problems.push(`no usable container engine: ${err.message}`);
    discovery = await discoverEngines(opts.host ?? systemDiscoveryHost()).then(
      (d) => d.reports,
      () => [],
    );
  }
  const dockerClients = await examineDockerClients();
  const buildKitClient = dockerClients.find((c) => c.buildKit)?.buildKit;
  if (!buildKitClient) {
    problems.push(
      dockerClients.length === 0
        ? "no docker CLI found (PATH, /usr/bin/docker): install Debian's docker.io"
        : "no docker CLI here can build with BuildKit: install Debian's docker.io (/usr/bin/docker) or the buildx plugin",
    );
  }
  let engine: EngineFacts | undefined;
  let registry: RegistryCheck = { checked: false, registry: "docker.io", detail: "not checked (no engine)" };
  let bases: DoctorReport["bases"] = [];
  if (conn) {
    engine = await engineFacts(conn);
    registry = opts.offline
      ? { checked: false, registry: "docker.io", detail: "not checked (--offline)" }
      : await checkRegistry(
          conn,
          opts.registryProbe ?? "docker.io/library/busybox:latest",
          opts.registryTimeoutMs ?? 8000,
        );
    bases = (await listBases(conn)).map((b) => ({
      name: b.name,
      ref: b.ref,
      present: b.present,
      ...(b.size !== undefined ? { size: b.size } : {}),
      ...(b.standIn ? { standIn: b.standIn } : {}),
      aliases: b.aliases,
      official: b.official,
      ...(b.ratioToOfficial !== undefined ? { ratioToOfficial: b.ratioToOfficial } : {}),
    }));
  }
  return {
    ok: problems.length === 0,
    discovery,
    ...(engine ? { engine } : {}),
    ...(engineError ? { engineError } : {}),
    ...(buildKitClient ? { buildKitClient } : {}),
    dockerClients,
    registry,
    bases,
    problems,
  };
}
