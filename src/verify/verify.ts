import { randomBytes } from "node:crypto";
import { OWNER_LABEL, ownerLabelValue, ResourceTracker, RUN_LABEL } from "../engine/cleanup.js";
import type { EngineConnection } from "../engine/connect.js";
import {
  ContainerNotRunningError,
  containerLogs,
  containerState,
  createContainer,
  execInContainer,
  startContainer,
  waitForExit,
} from "../engine/containers.js";
import {
  type FastEngine,
  fastCreateContainer,
  fastCreateNetwork,
  fastEngine,
  fastImageInfo,
  fastReach,
  fastStart,
  fastWaitForExit,
} from "../engine/first-probe.js";
import { type EngineImage, inspectEngineImage } from "../engine/images.js";
import { createNetwork } from "../engine/networks.js";
import { containerReach, portPublishing } from "../engine/ports.js";
import { watchPeakMemory } from "../engine/stats.js";
import { isEngineGone } from "../engine/trouble.js";
import { EngineError, InputError, InterruptedError, VerifyError } from "../errors.js";
import type { ComposeFile, ComposeService } from "./compose.js";
import { describeProbe } from "./probe-spec.js";
import { type ProbeTarget, runProbe } from "./probes/index.js";
import { putSecrets } from "./secrets.js";
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
/** How long a failed run waits for a still-running app's last output before reading its logs. */
const LOG_SETTLE_MS = 300;
/** The engine's default HEALTHCHECK timeout. */
const HEALTHCHECK_TIMEOUT_MS = 30_000;
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
  /**
   * The entrypoint to run, given the command and entrypoint overrides in effect (undefined: the
   * image's own).
   */
  entrypoint(command: string[] | undefined, entrypoint: string[] | undefined): string[];
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
  const run = new VerifyRun(opts, instrument, session);
  await run.prepare();
  try {
    return await run.execute();
  } catch (e) {
    return await run.recover(e);
  } finally {
    // Throws when something could not be removed: leaving resources behind replaces the result.
    await run.cleanup();
  }
}

/** The app container once started: its id, its exit, and where it is reached. */
interface StartedApp {
  id: string;
  exit: Promise<number>;
  reach: Awaited<ReturnType<typeof containerReach>>;
}

/**
 * One verification run, step by step: prepare (compose, image, probes),
 * network and sidecars, the app, its monitors, the waits, the probes, the
 * session and liveness, the result, the clean-up. The fields are what the
 * steps hand each other; the engine, the exit and the monitors may change
 * them from callbacks (markExited, engineGone).
 */
class VerifyRun {
  private readonly t0 = Date.now();
  private readonly deadline: number;
  private readonly livenessMs: number;
  private readonly signal: AbortSignal | undefined;
  private readonly progress: NonNullable<VerifyOptions["onProgress"]>;
  private readonly runId = randomBytes(4).toString("hex");
  private readonly netName = `slimstage-verify-${this.runId}`;
  private labels: Record<string, string> = {};
  private readonly tracker = new ResourceTracker(() => this.getEngine());
  private enginePromise: Promise<EngineConnection> | undefined;
  private fast: FastEngine | undefined;
  private compose: ComposeFile | undefined;
  private deps: ComposeService[] = [];
  private appService: ComposeService | undefined;
  private earlyNet: Promise<string> | undefined;
  private info: EngineImage | undefined;
  private probes: Probe[] = [];
  private readonly sidecars: SidecarInfo[] = [];
  private readonly sidecarIds = new Map<string, string>();
  private appId: string | undefined;
  private startedAt: number | undefined;
  private exitReason: string | undefined;
  private readonly stopped = new AbortController();
  private readonly results: ProbeResult[] = [];
  private firstOk: number | undefined;
  private memory: ReturnType<typeof watchPeakMemory> | undefined;
  private engineGone = false;
  private watchdog: NodeJS.Timeout | undefined;
  private finished = false;
  private kickTimer: NodeJS.Timeout | undefined;
  private liveness: VerifyResult["liveness"];
  private healthcheck: VerifyResult["healthcheck"];

  constructor(
    private readonly opts: VerifyOptions,
    private readonly instrument: RunInstrument | undefined,
    private readonly session: SessionHook | undefined,
  ) {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(timeoutMs > 0)) throw new InputError(`timeout must be positive, got ${timeoutMs}`);
    this.livenessMs = opts.livenessMs ?? DEFAULT_LIVENESS_MS;
    if (!(this.livenessMs >= 0))
      throw new InputError(`liveness grace must be 0 or more, got ${this.livenessMs}`);
    this.deadline = this.t0 + timeoutMs;
    this.signal = opts.signal;
    this.progress = opts.onProgress ?? (() => {});
  }

  // dockerode (through connectEngine) loads lazily: without sidecars, the way
  // to the first probe goes through first-probe.ts, and dockerode's heavy parts load while the app boots.
  private getEngine(): Promise<EngineConnection> {
    this.enginePromise ??= import("../engine/connect.js")
      .then((m) => m.connectEngine())
      .catch((e: unknown) => {
        // Not remembered: the engine may answer again (cleanup retries).
        this.enginePromise = undefined;
        throw e;
      });
    return this.enginePromise;
  }

  private readonly markExited = (why: string): void => {
    this.exitReason ??= why;
    this.stopped.abort();
  };

  private readonly exited = (): string | undefined => this.exitReason;

  /** Compose file, engine path, image and probes; nothing is left behind when it throws. */
  async prepare(): Promise<void> {
    const { opts } = this;
    throwIfAborted(this.signal);
    if (opts.compose) {
      const composeMod = await import("./compose.js");
      this.compose = await composeMod.loadCompose(opts.compose.file, {
        profiles: opts.compose.profiles ?? [],
      });
      this.deps = composeMod.dependencyOrder(this.compose, opts.compose.service);
      this.appService = this.compose.services[opts.compose.service];
    }
    // The fast path makes plain containers only: an instrumented run goes through dockerode.
    this.fast = this.compose || this.instrument ? undefined : await fastEngine();
    this.labels = { ...opts.labels, [RUN_LABEL]: this.runId, [OWNER_LABEL]: ownerLabelValue() };
    const fast = this.fast;
    // On the fast path the network is made while the image is inspected.
    this.earlyNet = fast
      ? fastCreateNetwork(fast, this.netName, this.labels).then((id) => {
          this.tracker.add("network", id);
          return id;
        })
      : undefined;
    this.earlyNet?.catch(() => {});
    try {
      this.info = fast
        ? await fastImageInfo(fast, opts.image).catch(async (e: unknown) => {
            // Not answering on the fast path: let connectEngine find (or explain) the engine.
            if (e instanceof InputError) throw e;
            return inspectEngineImage(opts.image, await this.getEngine());
          })
        : await inspectEngineImage(opts.image, await this.getEngine());
    } catch (e) {
      await this.earlyNet?.catch(() => undefined);
      await this.tracker.cleanup();
      throw e;
    }
    this.probes =
      opts.probes.length > 0
        ? opts.probes
        : defaultProbes([...(this.appService?.ports ?? []), ...this.info.exposedPorts]);
    if (this.probes.length === 0) {
      await this.earlyNet?.catch(() => undefined);
      await this.tracker.cleanup();
      throw new InputError(`nothing to probe: ${opts.image} exposes no port and no --probe was given`, {
        hint: "add e.g. --probe http://:5000/ or --probe 'cmd:python -c \"import app\"'",
      });
    }
  }

  /** Network, sidecars, app, waits, probes, session, liveness: the result. */
  async execute(): Promise<VerifyResult> {
    this.progress({ type: "phase", phase: "network", message: "creating a private network" });
    const net = this.earlyNet
      ? { id: await this.earlyNet, name: this.netName }
      : await createNetwork(await this.getEngine(), { name: this.netName, labels: this.labels });
    if (!this.earlyNet) this.tracker.add("network", net.id);
    await startSidecars({
      deps: this.deps,
      appService: this.appService,
      ...(this.opts.compose ? { composeFile: this.opts.compose.file } : {}),
      network: net.name,
      runId: this.runId,
      labels: this.labels,
      tracker: this.tracker,
      engine: () => this.getEngine(),
      deadline: this.deadline,
      signal: this.signal,
      progress: this.progress,
      started: this.sidecars,
      ids: this.sidecarIds,
    });
    throwIfAborted(this.signal);
    const app = await this.startApp(net.name);
    const { monitors, kick } = this.startMonitors(app.id);
    const host = app.reach?.host;
    if (!app.reach || !host) {
      // It may already have exited: that is the image's failure, not the engine's.
      await Promise.race([app.exit.catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
      await monitors;
      return await this.fail(this.exitReason ?? "the container got no address on the run's network");
    }
    await this.waitReady(monitors, app.id, host, app.reach.ports);
    const target = this.target(monitors, app.id, host, app.reach.ports);
    await this.runProbes(target, kick);
    await monitors.catch(() => undefined);
    const ok = this.results.every((r) => r.ok);
    if (ok && this.opts.runHealthcheck) {
      const unhealthy = await this.runImageHealthcheck(target);
      if (unhealthy) return unhealthy;
    }
    if (ok && this.session) await this.runSession(host);
    if (ok && this.livenessMs > 0) {
      const dead = await this.checkLiveness(monitors, app.id);
      if (dead) return dead;
    }
    return ok ? await this.succeeded() : await this.probeFailed();
  }

  /** Creates and starts the app container on the run's network, and watches its exit. */
  private async startApp(network: string): Promise<StartedApp> {
    const { opts, fast, instrument } = this;
    const info = this.info as EngineImage;
    this.progress({ type: "phase", phase: "start", message: `starting ${opts.image}` });
    const serviceName = opts.compose?.service ?? "app";
    const command = opts.command ?? this.appService?.command;
    const appSpec = {
      image: opts.image,
      name: `slimstage-verify-${this.runId}-${serviceName}`,
      env: { ...this.appService?.environment, ...opts.env },
      ...(instrument
        ? {
            entrypoint: instrument.entrypoint(command, opts.entrypoint),
            init: instrument.init,
            capAdd: instrument.capAdd,
          }
        : {
            ...(opts.entrypoint ? { entrypoint: opts.entrypoint } : {}),
            ...(command ? { cmd: command } : {}),
          }),
      labels: { ...this.labels, "org.slimstage.service": serviceName },
      network: { name: network, aliases: [serviceName] },
      // Published too, for engines whose networks this host cannot route to (engine/ports.ts).
      publish: portPublishing(fast ? fast.engine.host : (await this.getEngine()).host, [
        ...info.exposedPorts,
        ...this.probes.flatMap((p) => (p.kind === "cmd" ? [] : [p.port])),
        ...(opts.wait ?? []).flatMap((w) => (w.kind === "port" ? [w.port] : [])),
      ]),
    };
    const id = fast
      ? await fastCreateContainer(fast, appSpec)
      : await createContainer(await this.getEngine(), appSpec);
    this.appId = id;
    this.tracker.add("container", id);
    if (instrument) await instrument.prepare(await this.getEngine(), id);
    // Only then the full client: the fast path keeps its start-up (#20).
    const secrets = this.appService?.secrets ?? [];
    if (secrets.length > 0) await putSecrets(await this.getEngine(), id, secrets);
    const exit = fast ? fastWaitForExit(fast, id) : waitForExit(await this.getEngine(), id);
    this.startedAt = Date.now();
    if (fast) await fastStart(fast, id);
    else await startContainer(await this.getEngine(), id);
    exit.then(
      async (code) => {
        const s = await this.getEngine()
          .then((engine) => containerState(engine, id))
          .catch(() => undefined);
        this.markExited(
          `the container exited with code ${code}${s?.oomKilled ? " (killed: out of memory)" : ""}`,
        );
      },
      (err: unknown) => {
        if (engineLost(err)) this.engineGone = true;
        this.markExited("the engine stopped answering about the container");
      },
    );
    const reach = fast
      ? await fastReach(fast, id, network)
      : await containerReach(await this.getEngine(), id, network);
    return { id, exit, reach };
  }

  /**
   * Memory and the watchdog need dockerode. Loading it blocks the event loop
   * for a few hundred ms, which would delay the probes' polling: they start
   * after the first probe answered (`kick`), or after a second, whichever is
   * first (exit detection meanwhile comes from the fast path's wait).
   */
  private startMonitors(id: string): { monitors: Promise<EngineConnection>; kick: () => void } {
    const info = this.info as EngineImage;
    let kick = () => {};
    const kicked = new Promise<void>((r) => {
      kick = r;
    });
    this.kickTimer = setTimeout(kick, this.fast ? MONITOR_DELAY_MS : 0);
    const needNow =
      (this.opts.wait ?? []).length > 0 || info.healthcheck || !this.probes.some((p) => p.kind !== "cmd");
    if (needNow) kick();
    const monitors = kicked.then(async () => {
      clearTimeout(this.kickTimer);
      const engine = await this.getEngine();
      if (this.finished) return engine; // the run ended while dockerode loaded
      this.memory = watchPeakMemory(engine, id);
      // A watchdog beside the wait: a long-poll cut by a dying engine may never
      // settle, so ask the engine directly every half second.
      this.watchdog = setInterval(() => {
        containerState(engine, id).then(
          (s) => {
            if (!s.running)
              this.markExited(
                `the container exited with code ${s.exitCode}${s.oomKilled ? " (killed: out of memory)" : ""}`,
              );
          },
          (err: unknown) => {
            if (engineLost(err)) {
              this.engineGone = true;
              this.markExited("the engine stopped answering");
            }
          },
        );
      }, 500);
      return engine;
    });
    monitors.catch(() => {
      // The fast path reached the engine a moment ago: failing to connect now means it went away.
      this.engineGone = true;
      this.markExited("the engine stopped answering");
    });
    return { monitors, kick };
  }

  /** The asked-for waits, and the image's own health check when no probe was asked for. */
  private async waitReady(
    monitors: Promise<EngineConnection>,
    id: string,
    host: string,
    ports: ProbeTarget["ports"],
  ): Promise<void> {
    const waits = [...(this.opts.wait ?? []).map(waitFromSpec)];
    // The image's own healthcheck is the wait only when no probe was asked for:
    // explicit probes poll until the app answers, and waiting for the first
    // health interval (often 10-30 s) would be measured as start-up time.
    if (
      this.info?.healthcheck &&
      this.opts.probes.length === 0 &&
      !(this.opts.wait ?? []).some((w) => w.kind === "healthy")
    ) {
      waits.push(healthy());
    }
    for (const w of waits) {
      this.progress({ type: "phase", phase: "wait", message: `waiting for ${w.description}` });
      await w.wait({
        ...ctxFor(await monitors, id, host, this.deadline, this.signal, this.exited),
        ports,
      });
    }
  }

  private target(
    monitors: Promise<EngineConnection>,
    id: string,
    host: string,
    ports: ProbeTarget["ports"],
  ): ProbeTarget {
    const { signal, instrument } = this;
    return {
      host,
      ports,
      exited: this.exited,
      stopped: this.stopped.signal,
      exec: async (cmd, t) => {
        try {
          return await execInContainer(await monitors, id, instrument?.wrapExec?.(cmd) ?? cmd, {
            timeoutMs: t,
            ...(signal ? { signal } : {}),
          });
        } catch (e) {
          if (e instanceof ContainerNotRunningError) {
            throw new VerifyError(
              `cannot run \`${cmd.join(" ")}\`: ${this.exitReason ?? "the container exited"}`,
            );
          }
          throw e;
        }
      },
    };
  }

  /** Network probes first (they poll while the app starts), then commands; results in the probes' order. */
  private async runProbes(target: ProbeTarget, kick: () => void): Promise<void> {
    const { probes, signal } = this;
    const order = [...probes.keys()].sort(
      (a, b) => Number(probes[a]?.kind === "cmd") - Number(probes[b]?.kind === "cmd"),
    );
    const byIndex = new Map<number, ProbeResult>();
    for (const i of order) {
      const p = probes[i] as Probe;
      this.progress({ type: "phase", phase: "probe", message: `probing ${describeShort(p)}` });
      const r = await runProbe(p, target, { deadline: this.deadline, ...(signal ? { signal } : {}) });
      if (r.ok && this.firstOk === undefined) this.firstOk = Date.now();
      kick();
      byIndex.set(i, r);
      this.progress({ type: "probe", result: r });
    }
    this.results.push(...probes.map((_, i) => byIndex.get(i) as ProbeResult));
  }

  private async runSession(host: string): Promise<void> {
    this.progress({ type: "phase", phase: "probe", message: "sending the request set" });
    const ports = this.probes.flatMap((p) => (p.kind === "cmd" ? [] : [p.port]));
    await this.session?.({
      host,
      ports: [...new Set(ports)],
      deadline: this.deadline,
      ...(this.signal ? { signal: this.signal } : {}),
      stopped: this.stopped.signal,
      exited: this.exited,
    });
  }

  /**
   * Liveness: a server whose worker died after accepting connections
   * (gunicorn's master keeps the port) passes a probe and then exits. The
   * failed result when it did, undefined when it stayed up.
   */
  private async checkLiveness(
    monitors: Promise<EngineConnection>,
    id: string,
  ): Promise<VerifyResult | undefined> {
    const { livenessMs, signal } = this;
    this.progress({
      type: "phase",
      phase: "liveness",
      message: `checking the app stays up for ${(livenessMs / 1000).toFixed(1)} s after the last request`,
    });
    const lastRequestAt = Date.now();
    const why = await stillUp(
      monitors,
      id,
      livenessMs,
      AbortSignal.any([this.stopped.signal, ...(signal ? [signal] : [])]),
      {
        signal,
        exited: this.exited,
        onEngineGone: () => {
          this.engineGone = true;
        },
      },
    );
    if (!why) {
      this.liveness = { ok: true, graceMs: livenessMs };
      return undefined;
    }
    const after = Date.now() - lastRequestAt;
    const res = await this.fail(
      `liveness: ${why} within ${(after / 1000).toFixed(1)} s after the last request (the probes had passed)`,
    );
    return { ...res, liveness: { ok: false, graceMs: livenessMs, reason: why } };
  }

  private startup(): Pick<VerifyResult, "startupMs" | "firstProbeOkAt"> {
    return this.firstOk !== undefined && this.startedAt !== undefined
      ? { startupMs: this.firstOk - this.startedAt, firstProbeOkAt: this.firstOk }
      : {};
  }

  /** The image's HEALTHCHECK command, once, as the engine runs it; a failed result when it does not exit 0. */
  private async runImageHealthcheck(target: ProbeTarget): Promise<VerifyResult | undefined> {
    const test = this.info?.healthcheckTest;
    const command =
      test?.[0] === "CMD-SHELL" ? ["/bin/sh", "-c", test[1] ?? ""] : test?.[0] === "CMD" ? test.slice(1) : [];
    if (command.length === 0) return undefined;
    this.progress({
      type: "phase",
      phase: "probe",
      message: `running the image's HEALTHCHECK: ${command.join(" ")}`,
    });
    const r = await target.exec(command, HEALTHCHECK_TIMEOUT_MS);
    this.healthcheck = { command, exitCode: r.exitCode };
    if (r.exitCode === 0) return undefined;
    const out = r.output.replace(/\s+/g, " ").trim().slice(-300);
    return await this.fail(
      `the image's HEALTHCHECK (${command.join(" ")}) exited ${r.exitCode}${out ? `: ${out}` : ""}: the engine would mark the container unhealthy`,
    );
  }

  private async probeFailed(): Promise<VerifyResult> {
    const bad = this.results.find((r) => !r.ok);
    const res = await this.fail(`probe ${describeShort(bad?.probe as Probe)} failed: ${bad?.detail}`);
    return { ...res, ...this.startup() };
  }

  private async succeeded(): Promise<VerifyResult> {
    const { results } = this;
    const peak = await this.memory?.stop();
    return {
      image: this.opts.image,
      ok: true,
      probes: results,
      ...(this.healthcheck ? { healthcheck: this.healthcheck } : {}),
      ...(this.liveness ? { liveness: this.liveness } : {}),
      ...(results.some((r) => r.tcpOnly)
        ? { tcpOnly: results.filter((r) => r.tcpOnly).map((r) => describeProbe(r.probe)) }
        : {}),
      ...this.startup(),
      ...(peak !== undefined ? { peakMemoryBytes: peak } : {}),
      sidecars: this.sidecars,
      ...this.composeWarnings(),
      durationMs: Date.now() - this.t0,
    };
  }

  private composeWarnings(): Pick<VerifyResult, "warnings"> {
    return this.compose && this.compose.warnings.length > 0 ? { warnings: this.compose.warnings } : {};
  }

  /** A failed result with the logs of the app and its sidecars; every probe has a result. */
  private async fail(error: string): Promise<VerifyResult> {
    if (this.engineGone) throw new EngineError(`the engine stopped answering during verification (${error})`);
    this.progress({ type: "phase", phase: "cleanup", message: "collecting logs" });
    // An app that answered 500 writes its traceback after the answer: give a running one a moment to.
    if (this.exitReason === undefined) await new Promise((r) => setTimeout(r, LOG_SETTLE_MS));
    const engine = await this.getEngine();
    const logs = this.appId ? await containerLogs(engine, this.appId).catch(() => undefined) : undefined;
    const sidecarLogs: Record<string, string> = {};
    for (const [svc, id] of this.sidecarIds) {
      const l = await containerLogs(engine, id, 50).catch(() => undefined);
      if (l !== undefined) sidecarLogs[svc] = l;
    }
    const peak = await this.memory?.stop();
    // Probes that never ran are reported as failed, so every probe has a result.
    const ran = new Set(this.results.map((r) => r.probe));
    const notRun = this.probes
      .filter((p) => !ran.has(p))
      .map((p) => ({ probe: p, ok: false, detail: `not run: ${error}`, durationMs: 0, attempts: 0 }));
    const failed = this.results.find((r) => !r.ok);
    return {
      image: this.opts.image,
      ok: false,
      probes: [...this.results, ...notRun],
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
      sidecars: this.sidecars,
      ...(logs !== undefined ? { logs } : {}),
      ...(Object.keys(sidecarLogs).length > 0 ? { sidecarLogs } : {}),
      error,
      ...this.composeWarnings(),
      durationMs: Date.now() - this.t0,
    };
  }

  /** What a step threw: Ctrl-C and engine trouble go on up, the app's failure becomes a result. */
  async recover(e: unknown): Promise<VerifyResult> {
    if (engineLost(e)) this.engineGone = true;
    const { signal } = this;
    if (signal?.aborted || e instanceof InterruptedError) {
      await this.memory?.stop();
      throw e instanceof InterruptedError ? e : new InterruptedError(String(signal?.reason ?? "SIGINT"));
    }
    if (e instanceof VerifyError) return await this.fail(e.message);
    await this.memory?.stop();
    throw e;
  }

  /** Stops the monitors, lets the instrument collect, removes what the run made; throws when something stays. */
  async cleanup(): Promise<void> {
    this.finished = true;
    if (this.kickTimer) clearTimeout(this.kickTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    await this.memory?.stop();
    const { instrument, appId } = this;
    if (instrument && appId && !this.engineGone && !this.signal?.aborted) {
      this.progress({ type: "phase", phase: "cleanup", message: "collecting from the app container" });
      const engine = await this.getEngine().catch(() => undefined);
      if (engine) await instrument.collect(engine, appId).catch(() => undefined);
    }
    this.progress({ type: "phase", phase: "cleanup", message: "removing containers and network" });
    let left = await this.tracker.cleanup();
    // A busy engine sometimes refuses a removal for a moment (a container
    // still being torn down); one that went away may come back (a restart).
    // Keep trying a while: briefly always, longer when the engine was gone.
    const until = Date.now() + (this.engineGone ? CLEANUP_RETRY_MS : BUSY_RETRY_MS);
    while (left.length > 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 400));
      left = await this.tracker.cleanup();
    }
    if (left.length > 0) {
      const what = left.map((l) => `${l.kind} ${l.id.slice(0, 12)}`).join(", ");
      throw new EngineError(
        `could not remove ${what} after verification${this.tracker.lastError ? `: ${this.tracker.lastError}` : ""}`,
        {
          hint: `remove them once the engine answers: docker rm -f / docker network rm (label ${RUN_LABEL}=${this.runId})`,
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
