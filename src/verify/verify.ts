import { randomBytes } from "node:crypto";
import { OWNER_LABEL, ownerLabelValue, ResourceTracker, RUN_LABEL } from "../engine/cleanup.js";
import type { EngineConnection } from "../engine/connect.js";
import {
  ContainerNotRunningError,
  containerLogs,
  containerState,
  createContainer,
  execInContainer,
  imageRunInfo,
  startContainer,
  waitForExit,
} from "../engine/containers.js";
import {
  fastCreateContainer,
  fastCreateNetwork,
  fastEngine,
  fastImageInfo,
  fastReach,
  fastStart,
  fastWaitForExit,
} from "../engine/first-probe.js";
import { createNetwork } from "../engine/networks.js";
import { containerReach, portPublishing } from "../engine/ports.js";
import { watchPeakMemory } from "../engine/stats.js";
import { isEngineGone } from "../engine/trouble.js";
import { EngineError, InputError, InterruptedError, VerifyError } from "../errors.js";
import { describeProbe } from "./probe-spec.js";
import { type ProbeTarget, runProbe } from "./probes/index.js";
import { startSidecars } from "./sidecars.js";
import { sleep, throwIfAborted } from "./sleep.js";
import type { Probe, ProbeResult, SidecarInfo, VerifyOptions, VerifyResult } from "./types.js";
import { healthy, type WaitContext, waitFromSpec } from "./wait.js";

const DEFAULT_TIMEOUT_MS = 60_000;
/** How long cleanup keeps retrying when the engine stopped answering mid-run. */
const CLEANUP_RETRY_MS = 20_000;
// On a loaded two-core machine a forced removal can take seconds to settle.
const BUSY_RETRY_MS = 15_000;
/** How long the first probes may poll before dockerode loads (see the monitors below). */
const MONITOR_DELAY_MS = 1000;

/** How long the app must stay up after the last request (liveness), by default. */
export const DEFAULT_LIVENESS_MS = 3000;
/** Lines of app output kept in a failed result's `logTail`. */
const LOG_TAIL_LINES = 30;

/**
 * Default probes when none are given: HTTP GET / on each port the image or
 * compose service names. A port that answers but not with HTTP (Redis, a
 * database) falls back to a TCP connect, and the result says so.
 */
function defaultProbes(ports: readonly number[]): Probe[] {
  return [...new Set(ports)].map((port) => ({ kind: "http", port, path: "/", fallbackToTcp: true }));
}

/** The last lines of a container's output. */
export function tailLines(text: string, n = LOG_TAIL_LINES): string[] {
  const lines = text.trimEnd().split("\n");
  return lines.length === 1 && lines[0] === "" ? [] : lines.slice(-n);
}

/**
 * What runs with the app up, after the probes passed and before the
 * liveness wait: differential verification sends its request set here.
 * Internal: not exported from the library.
 */
export interface RunSession {
  /** The app's address on the run's network. */
  host: string;
  /** The ports probed (the first is where discovery starts). */
  ports: number[];
  deadline: number;
  signal?: AbortSignal;
  /** Fires when the app container stops. */
  stopped: AbortSignal;
  exited(): string | undefined;
}
export type SessionHook = (session: RunSession) => Promise<void>;

/**
 * How another part of slimstage runs the app under an instrument (minify's
 * tracer): a different entrypoint, extra capabilities, files put into the
 * container before it starts and collected after the probes. Internal: not
 * exported from the library.
 */
export interface RunInstrument {
  /** The entrypoint to run, given the command override in effect (undefined: the image's own). */
  entrypoint(command: string[] | undefined): string[];
  capAdd: string[];
  init: boolean;
  /** After the container is created, before it starts. */
  prepare(engine: EngineConnection, containerId: string): Promise<void>;
  /** After the probes (passed or not), before the container is removed; must not throw. */
  collect(engine: EngineConnection, containerId: string): Promise<void>;
  /** How a command probe's argv runs in the container (a tracer wraps it: `docker exec` is outside the traced tree). */
  wrapExec?(argv: string[]): string[];
}

/** verifyImage, with the app container run under `instrument`. */
export function verifyInstrumented(opts: VerifyOptions, instrument: RunInstrument): Promise<VerifyResult> {
  return runVerify(opts, instrument);
}

/** verifyImage, with `session` run while the app is up after its probes passed (a failing session throws VerifyError). */
export function verifyWithSession(opts: VerifyOptions, session: SessionHook): Promise<VerifyResult> {
  return runVerify(opts, undefined, session);
}

/**
 * Runs an image on a private network made for the run (with its sidecars
 * from a compose file), waits for it, runs the probes and measures start-up
 * time and peak memory. A failing probe, a container that exits, a sidecar
 * that never becomes healthy: a result with ok=false (and the logs). Engine
 * trouble throws EngineError, Ctrl-C throws InterruptedError. Everything the
 * run created is removed before it returns or throws.
 */
export function verifyImage(opts: VerifyOptions): Promise<VerifyResult> {
  return runVerify(opts, undefined);
}

async function runVerify(
  opts: VerifyOptions,
  instrument: RunInstrument | undefined,
  session?: SessionHook,
): Promise<VerifyResult> {
  const t0 = Date.now();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new InputError(`timeout must be positive, got ${timeoutMs}`);
  const livenessMs = opts.livenessMs ?? DEFAULT_LIVENESS_MS;
  if (!(livenessMs >= 0)) throw new InputError(`liveness grace must be 0 or more, got ${livenessMs}`);
  const deadline = t0 + timeoutMs;
  const signal = opts.signal;
  const progress = opts.onProgress ?? (() => {});
  throwIfAborted(signal);

  const composeMod = opts.compose ? await import("./compose.js") : undefined;
  const compose =
    opts.compose && composeMod
      ? await composeMod.loadCompose(opts.compose.file, { profiles: opts.compose.profiles ?? [] })
      : undefined;
  const deps =
    compose && opts.compose && composeMod ? composeMod.dependencyOrder(compose, opts.compose.service) : [];
  const appService = compose && opts.compose ? compose.services[opts.compose.service] : undefined;

  // dockerode (through connectEngine) loads lazily: without sidecars, the way
  // to the first probe goes through first-probe.ts, and dockerode's heavy parts load while the app boots.
  let enginePromise: Promise<EngineConnection> | undefined;
  const getEngine = (): Promise<EngineConnection> => {
    enginePromise ??= import("../engine/connect.js")
      .then((m) => m.connectEngine())
      .catch((e: unknown) => {
        // Not remembered: the engine may answer again (cleanup retries).
        enginePromise = undefined;
        throw e;
      });
    return enginePromise;
  };
  // The fast path makes plain containers only: an instrumented run goes through dockerode.
  const fast = compose || instrument ? undefined : await fastEngine();
  const runId = randomBytes(4).toString("hex");
  const labels = { ...opts.labels, [RUN_LABEL]: runId, [OWNER_LABEL]: ownerLabelValue() };
  const tracker = new ResourceTracker(getEngine);
  const netName = `slimstage-verify-${runId}`;
  // On the fast path the network is made while the image is inspected.
  const earlyNet = fast
    ? fastCreateNetwork(fast, netName, labels).then((id) => {
        tracker.add("network", id);
        return id;
      })
    : undefined;
  earlyNet?.catch(() => {});
  let info: Awaited<ReturnType<typeof imageRunInfo>>;
  try {
    info = fast
      ? await fastImageInfo(fast, opts.image).catch(async (e: unknown) => {
          // Not answering on the fast path: let connectEngine find (or explain) the engine.
          if (e instanceof InputError) throw e;
          return imageRunInfo(await getEngine(), opts.image);
        })
      : await imageRunInfo(await getEngine(), opts.image);
  } catch (e) {
    await earlyNet?.catch(() => undefined);
    await tracker.cleanup();
    throw e;
  }
  const probes =
    opts.probes.length > 0
      ? opts.probes
      : defaultProbes([...(appService?.ports ?? []), ...info.exposedPorts]);
  if (probes.length === 0) {
    await earlyNet?.catch(() => undefined);
    await tracker.cleanup();
    throw new InputError(`nothing to probe: ${opts.image} exposes no port and no --probe was given`, {
      hint: "add e.g. --probe http://:5000/ or --probe 'cmd:python -c \"import app\"'",
    });
  }

  const sidecars: SidecarInfo[] = [];
  const sidecarIds = new Map<string, string>();
  let appId: string | undefined;
  let startedAt: number | undefined;
  let exitReason: string | undefined;
  const stopped = new AbortController();
  const markExited = (why: string) => {
    exitReason ??= why;
    stopped.abort();
  };
  const results: ProbeResult[] = [];
  let memory: ReturnType<typeof watchPeakMemory> | undefined;
  let engineGone = false;
  let watchdog: NodeJS.Timeout | undefined;
  let finished = false;
  let kickTimer: NodeJS.Timeout | undefined;
  let liveness: VerifyResult["liveness"];

  const fail = async (error: string): Promise<VerifyResult> => {
    if (engineGone) throw new EngineError(`the engine stopped answering during verification (${error})`);
    progress({ type: "phase", phase: "cleanup", message: "collecting logs" });
    const engine = await getEngine();
    const logs = appId ? await containerLogs(engine, appId).catch(() => undefined) : undefined;
    const sidecarLogs: Record<string, string> = {};
    for (const [svc, id] of sidecarIds) {
      const l = await containerLogs(engine, id, 50).catch(() => undefined);
      if (l !== undefined) sidecarLogs[svc] = l;
    }
    const peak = await memory?.stop();
    // Probes that never ran are reported as failed, so every probe has a result.
    const ran = new Set(results.map((r) => r.probe));
    const notRun = probes
      .filter((p) => !ran.has(p))
      .map((p) => ({ probe: p, ok: false, detail: `not run: ${error}`, durationMs: 0, attempts: 0 }));
    const failed = results.find((r) => !r.ok);
    return {
      image: opts.image,
      ok: false,
      probes: [...results, ...notRun],
      ...(failed
        ? {
            failedProbe: {
              probe: describeProbe(failed.probe),
              expected: failed.expected ?? "the probe to pass",
              got: failed.got ?? failed.detail,
            },
          }
        : {}),
      ...(logs !== undefined ? { logTail: tailLines(logs) } : {}),
      ...(peak !== undefined ? { peakMemoryBytes: peak } : {}),
      sidecars,
      ...(logs !== undefined ? { logs } : {}),
      ...(Object.keys(sidecarLogs).length > 0 ? { sidecarLogs } : {}),
      error,
      ...(compose && compose.warnings.length > 0 ? { warnings: compose.warnings } : {}),
      durationMs: Date.now() - t0,
    };
  };

  try {
    progress({ type: "phase", phase: "network", message: "creating a private network" });
    const net = earlyNet
      ? { id: await earlyNet, name: netName }
      : await createNetwork(await getEngine(), { name: netName, labels });
    if (!earlyNet) tracker.add("network", net.id);

    await startSidecars({
      deps,
      appService,
      ...(opts.compose ? { composeFile: opts.compose.file } : {}),
      network: net.name,
      runId,
      labels,
      tracker,
      engine: getEngine,
      deadline,
      signal,
      progress,
      started: sidecars,
      ids: sidecarIds,
    });

    throwIfAborted(signal);
    progress({ type: "phase", phase: "start", message: `starting ${opts.image}` });
    const serviceName = opts.compose?.service ?? "app";
    const command = opts.command ?? appService?.command;
    const appSpec = {
      image: opts.image,
      name: `slimstage-verify-${runId}-${serviceName}`,
      env: { ...appService?.environment, ...opts.env },
      ...(instrument
        ? { entrypoint: instrument.entrypoint(command), init: instrument.init, capAdd: instrument.capAdd }
        : command
          ? { cmd: command }
          : {}),
      labels: { ...labels, "org.slimstage.service": serviceName },
      network: { name: net.name, aliases: [serviceName] },
      // Published too, for engines whose networks this host cannot route to (engine/ports.ts).
      publish: portPublishing(fast ? fast.engine.host : (await getEngine()).host, [
        ...info.exposedPorts,
        ...probes.flatMap((p) => (p.kind === "cmd" ? [] : [p.port])),
        ...(opts.wait ?? []).flatMap((w) => (w.kind === "port" ? [w.port] : [])),
      ]),
    };
    appId = fast
      ? await fastCreateContainer(fast, appSpec)
      : await createContainer(await getEngine(), appSpec);
    tracker.add("container", appId);
    if (instrument) await instrument.prepare(await getEngine(), appId);
    const id = appId;
    const exit = fast ? fastWaitForExit(fast, id) : waitForExit(await getEngine(), id);
    startedAt = Date.now();
    if (fast) await fastStart(fast, id);
    else await startContainer(await getEngine(), id);
    exit.then(
      async (code) => {
        const s = await getEngine()
          .then((engine) => containerState(engine, id))
          .catch(() => undefined);
        markExited(`the container exited with code ${code}${s?.oomKilled ? " (killed: out of memory)" : ""}`);
      },
      (err: unknown) => {
        if (engineLost(err)) engineGone = true;
        markExited("the engine stopped answering about the container");
      },
    );
    const reach = fast
      ? await fastReach(fast, id, net.name)
      : await containerReach(await getEngine(), id, net.name);
    const host = reach?.host;
    // Memory and the watchdog need dockerode. Loading it blocks the event loop
    // for a few hundred ms, which would delay the probes' polling: it starts
    // after the first probe answered, or after a second, whichever is first
    // (exit detection meanwhile comes from the fast path's wait).
    let kick = () => {};
    const kicked = new Promise<void>((r) => {
      kick = r;
    });
    kickTimer = setTimeout(kick, fast ? MONITOR_DELAY_MS : 0);
    const needNow = (opts.wait ?? []).length > 0 || info.healthcheck || !probes.some((p) => p.kind !== "cmd");
    if (needNow) kick();
    const monitors = kicked.then(async () => {
      clearTimeout(kickTimer);
      const engine = await getEngine();
      if (finished) return engine; // the run ended while dockerode loaded
      memory = watchPeakMemory(engine, id);
      // A watchdog beside the wait: a long-poll cut by a dying engine may never
      // settle, so ask the engine directly every half second.
      watchdog = setInterval(() => {
        containerState(engine, id).then(
          (s) => {
            if (!s.running)
              markExited(
                `the container exited with code ${s.exitCode}${s.oomKilled ? " (killed: out of memory)" : ""}`,
              );
          },
          (err: unknown) => {
            if (engineLost(err)) {
              engineGone = true;
              markExited("the engine stopped answering");
            }
          },
        );
      }, 500);
      return engine;
    });
    monitors.catch(() => {
      // The fast path reached the engine a moment ago: failing to connect now means it went away.
      engineGone = true;
      markExited("the engine stopped answering");
    });
    if (!host) {
      // It may already have exited: that is the image's failure, not the engine's.
      await Promise.race([exit.catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
      await monitors;
      return await fail(exitReason ?? "the container got no address on the run's network");
    }
    const exited = () => exitReason;
    const waits = [...(opts.wait ?? []).map(waitFromSpec)];
    // The image's own healthcheck is the wait only when no probe was asked for:
    // explicit probes poll until the app answers, and waiting for the first
    // health interval (often 10-30 s) would be measured as start-up time.
    if (
      info.healthcheck &&
      opts.probes.length === 0 &&
      !(opts.wait ?? []).some((w) => w.kind === "healthy")
    ) {
      waits.push(healthy());
    }
    for (const w of waits) {
      progress({ type: "phase", phase: "wait", message: `waiting for ${w.description}` });
      await w.wait({ ...ctxFor(await monitors, id, host, deadline, signal, exited), ports: reach.ports });
    }

    const target: ProbeTarget = {
      host,
      ports: reach.ports,
      exited,
      stopped: stopped.signal,
      exec: async (cmd, t) => {
        try {
          return await execInContainer(await monitors, id, instrument?.wrapExec?.(cmd) ?? cmd, {
            timeoutMs: t,
            ...(signal ? { signal } : {}),
          });
        } catch (e) {
          if (e instanceof ContainerNotRunningError) {
            throw new VerifyError(`cannot run \`${cmd.join(" ")}\`: ${exitReason ?? "the container exited"}`);
          }
          throw e;
        }
      },
    };
    // Network probes first (they poll while the app starts), then commands.
    const order = [...probes.keys()].sort(
      (a, b) => Number(probes[a]?.kind === "cmd") - Number(probes[b]?.kind === "cmd"),
    );
    const byIndex = new Map<number, ProbeResult>();
    let firstOk: number | undefined;
    for (const i of order) {
      const p = probes[i] as Probe;
      progress({ type: "phase", phase: "probe", message: `probing ${describeShort(p)}` });
      const r = await runProbe(p, target, { deadline, ...(signal ? { signal } : {}) });
      if (r.ok && firstOk === undefined) firstOk = Date.now();
      kick();
      byIndex.set(i, r);
      progress({ type: "probe", result: r });
    }
    results.push(...probes.map((_, i) => byIndex.get(i) as ProbeResult));
    await monitors.catch(() => undefined);
    const ok = results.every((r) => r.ok);
    if (ok && session) {
      progress({ type: "phase", phase: "probe", message: "sending the request set" });
      const ports = probes.flatMap((p) => (p.kind === "cmd" ? [] : [p.port]));
      await session({
        host,
        ports: [...new Set(ports)],
        deadline,
        ...(signal ? { signal } : {}),
        stopped: stopped.signal,
        exited,
      });
    }
    if (ok && livenessMs > 0) {
      // Liveness: a server whose worker died after accepting connections
      // (gunicorn's master keeps the port) passes a probe and then exits.
      progress({
        type: "phase",
        phase: "liveness",
        message: `checking the app stays up for ${(livenessMs / 1000).toFixed(1)} s after the last request`,
      });
      const lastRequestAt = Date.now();
      const why = await stillUp(
        monitors,
        id,
        livenessMs,
        AbortSignal.any([stopped.signal, ...(signal ? [signal] : [])]),
        {
          signal,
          exited,
          onEngineGone: () => {
            engineGone = true;
          },
        },
      );
      if (why) {
        const after = Date.now() - lastRequestAt;
        const res = await fail(
          `liveness: ${why} within ${(after / 1000).toFixed(1)} s after the last request (the probes had passed)`,
        );
        return { ...res, liveness: { ok: false, graceMs: livenessMs, reason: why } };
      }
      liveness = { ok: true, graceMs: livenessMs };
    }
    if (!ok) {
      const bad = results.find((r) => !r.ok);
      const res = await fail(`probe ${describeShort(bad?.probe as Probe)} failed: ${bad?.detail}`);
      return {
        ...res,
        ...(firstOk !== undefined && startedAt !== undefined
          ? { startupMs: firstOk - startedAt, firstProbeOkAt: firstOk }
          : {}),
      };
    }
    const peak = await memory?.stop();
    return {
      image: opts.image,
      ok: true,
      probes: results,
      ...(liveness ? { liveness } : {}),
      ...(results.some((r) => r.tcpOnly)
        ? { tcpOnly: results.filter((r) => r.tcpOnly).map((r) => describeProbe(r.probe)) }
        : {}),
      ...(firstOk !== undefined ? { startupMs: firstOk - startedAt, firstProbeOkAt: firstOk } : {}),
      ...(peak !== undefined ? { peakMemoryBytes: peak } : {}),
      sidecars,
      ...(compose && compose.warnings.length > 0 ? { warnings: compose.warnings } : {}),
      durationMs: Date.now() - t0,
    };
  } catch (e) {
    if (engineLost(e)) engineGone = true;
    if (signal?.aborted || e instanceof InterruptedError) {
      await memory?.stop();
      throw e instanceof InterruptedError ? e : new InterruptedError(String(signal?.reason ?? "SIGINT"));
    }
    if (e instanceof VerifyError) return await fail(e.message);
    await memory?.stop();
    throw e;
  } finally {
    finished = true;
    if (kickTimer) clearTimeout(kickTimer);
    if (watchdog) clearInterval(watchdog);
    await memory?.stop();
    if (instrument && appId && !engineGone && !signal?.aborted) {
      progress({ type: "phase", phase: "cleanup", message: "collecting from the app container" });
      const engine = await getEngine().catch(() => undefined);
      if (engine) await instrument.collect(engine, appId).catch(() => undefined);
    }
    progress({ type: "phase", phase: "cleanup", message: "removing containers and network" });
    let left = await tracker.cleanup();
    // A busy engine sometimes refuses a removal for a moment (a container
    // still being torn down); one that went away may come back (a restart).
    // Keep trying a while: briefly always, longer when the engine was gone.
    const until = Date.now() + (engineGone ? CLEANUP_RETRY_MS : BUSY_RETRY_MS);
    while (left.length > 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 400));
      left = await tracker.cleanup();
    }
    if (left.length > 0) {
      const what = left.map((l) => `${l.kind} ${l.id.slice(0, 12)}`).join(", ");
      // Leaving resources behind must not look like success: this replaces the result.
      // biome-ignore lint/correctness/noUnsafeFinally: deliberate, see above
      throw new EngineError(
        `could not remove ${what} after verification${tracker.lastError ? `: ${tracker.lastError}` : ""}`,
        {
          hint: `remove them once the engine answers: docker rm -f / docker network rm (label ${RUN_LABEL}=${runId})`,
        },
      );
    }
  }
}

/**
 * Liveness: waits `graceMs` (cut short when the container stops) and says why the app is
 * not up any more, or undefined when it is. A server whose worker died after accepting
 * connections (gunicorn's master keeps the port) passes a probe and then exits.
 */
async function stillUp(
  monitors: Promise<EngineConnection>,
  id: string,
  graceMs: number,
  wait: AbortSignal,
  run: { signal: AbortSignal | undefined; exited: () => string | undefined; onEngineGone: () => void },
): Promise<string | undefined> {
  await sleep(graceMs, wait).catch(() => {
    throwIfAborted(run.signal);
  });
  const engine = await monitors;
  const s = await containerState(engine, id).catch((e: unknown) => {
    if (engineLost(e)) run.onEngineGone();
    throw e;
  });
  const exitReason = run.exited();
  if (!exitReason && s.running && s.restartCount === 0) return undefined;
  return (
    exitReason ??
    (s.running
      ? `the engine restarted it ${s.restartCount} time(s)`
      : `the container exited with code ${s.exitCode}`)
  );
}

/** The engine itself went away (not a refusal of one call). */
function engineLost(e: unknown): boolean {
  return isEngineGone(e) || (e instanceof EngineError && isEngineGone(e.cause));
}

function describeShort(p: Probe): string {
  if (p.kind === "http") return `http :${p.port}${p.path}`;
  if (p.kind === "tcp") return `tcp :${p.port}`;
  return `cmd ${p.command.slice(0, 40)}`;
}

function ctxFor(
  engine: EngineConnection,
  containerId: string,
  host: string,
  deadline: number,
  signal: AbortSignal | undefined,
  exited: () => string | undefined,
): WaitContext {
  return { engine, containerId, host, deadline, ...(signal ? { signal } : {}), exited };
}
