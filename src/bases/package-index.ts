import { readFile } from "node:fs/promises";
import type { BuildOptions } from "../engine/build/build.js";
import { buildModeFromVersion } from "../engine/build/client.js";
import { localBridgeGateway } from "../engine/build/network.js";
import { connectEngine, type EngineConnection } from "../engine/connect.js";

/**
 * The offline package index as builds see it: `url` is what pip inside a RUN step
 * fetches (`http://slimstage-index:PORT/`, the name the local Python base's
 * pip.conf uses), `reach` the build options that make that name resolve to it.
 */
export interface BuildIndex {
  url: string;
  /** Where it listens on this host, e.g. "172.17.0.1:3141 (the bridge gateway)". */
  address: string;
  /** `network` and `extraHosts` for buildImage. */
  reach: Required<Pick<BuildOptions, "network" | "extraHosts">>;
  close(): Promise<void> | void;
}

/** Does this Dockerfile install Python packages (and so need the offline index)? */
export async function needsPackageIndex(dockerfiles: readonly string[]): Promise<boolean> {
  for (const f of dockerfiles) {
    const text = await readFile(f, "utf8").catch(() => "");
    if (/\bpip3?\b|python[0-9.]*\s+-m\s+pip|\bpoetry\b|\buv\s+pip\b/.test(text)) return true;
  }
  return false;
}

/**
 * Starts (or reuses) the offline Python package index (src/bases/index-server.ts,
 * loaded lazily so builds that do not need it never load it) where the engine's
 * builds reach it without the host network: on the bridge gateway when that is
 * this host's address, so RUN steps see the index and not the services on the
 * host's loopback. An engine elsewhere gets the loopback index and `--network host`
 * (reached through a tunnel to the engine's loopback, docs/engine.md).
 */
export async function startPackageIndex(
  signal?: AbortSignal,
  opts: { dir?: string; port?: number; engine?: EngineConnection } = {},
): Promise<BuildIndex> {
  const [{ startPackageIndex: start, PACKAGE_INDEX_HOSTNAME }, engine] = await Promise.all([
    import("./index-server.js"),
    opts.engine ?? connectEngine(),
  ]);
  // Podman's classic /build (4.3) answers 400 to the extrahosts the docker CLI sends: there the
  // build uses the host network and reaches the loopback index by address (the base's pip.conf
  // lists it after the name; a name that does not resolve is skipped at once).
  const classic =
    buildModeFromVersion(
      (await engine.docker.version().catch(() => ({}))) as { Components?: { Name?: string }[] },
    ) === "classic";
  const gateway = classic ? undefined : await localBridgeGateway(engine);
  const index = await start({
    ...(signal ? { signal } : {}),
    ...(opts.dir !== undefined ? { dir: opts.dir } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(gateway ? { host: gateway } : {}),
  });
  return {
    url: `http://${classic ? index.host : PACKAGE_INDEX_HOSTNAME}:${index.port}/`,
    address: `${index.host}:${index.port}${gateway ? " (the bridge gateway)" : " (loopback, builds on the host network)"}`,
    reach: {
      network: gateway ? "default" : "host",
      extraHosts: classic ? {} : { [PACKAGE_INDEX_HOSTNAME]: index.host },
    },
    close: () => index.close(),
  };
}

export interface IndexStart {
  signal?: AbortSignal;
  /** The wheelhouse to serve (default: the shared one, filled by `slimstage bases build`). */
  dir?: string;
  /** 0 for a free port (a run's own index); default the shared index's port. */
  port?: number;
  engine?: EngineConnection;
  /**
   * What a failed start becomes: throw (the default rethrows as is), or return undefined to
   * go on without an index (`build --package-index auto`).
   */
  onStartError?: (e: unknown) => undefined;
}

/**
 * Runs `fn` with the offline package index started for it and stops the index however `fn`
 * ends: the one start/stop lifecycle every caller goes through (the lab, `build`, a compose
 * sidecar's build, optimize's per-run index). `start` undefined: `fn` runs without one.
 */
export function withPackageIndex<T>(
  start: IndexStart & { onStartError?: undefined },
  fn: (index: BuildIndex) => Promise<T>,
): Promise<T>;
export function withPackageIndex<T>(
  start: IndexStart | undefined,
  fn: (index: BuildIndex | undefined) => Promise<T>,
): Promise<T>;
export async function withPackageIndex<T>(
  start: IndexStart | undefined,
  fn: (index: BuildIndex) => Promise<T>,
): Promise<T> {
  let index: BuildIndex | undefined;
  if (start) {
    try {
      index = await startPackageIndex(start.signal, start);
    } catch (e) {
      if (!start.onStartError) throw e;
      index = start.onStartError(e);
    }
  }
  try {
    // Undefined only where the caller's overload said it may be (no start, or onStartError).
    return await fn(index as BuildIndex);
  } finally {
    await index?.close();
  }
}
