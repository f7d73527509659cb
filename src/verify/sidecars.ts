/**
 * A run's sidecars: the compose services the app depends on, built when the
 * compose file says so, started on the run's network under their service
 * names, each waited for as far as its dependents ask (started, healthy,
 * completed successfully) before the next one starts.
 */
import { join, resolve } from "node:path";
import type { ResourceTracker } from "../engine/cleanup.js";
import type { EngineConnection } from "../engine/connect.js";
import { createContainer, startContainer } from "../engine/containers.js";
import { inspectEngineImage } from "../engine/images.js";
import { InputError, VerifyError } from "../errors.js";
import type { ComposeService } from "./compose.js";
import { putSecrets } from "./secrets.js";
import { throwIfAborted } from "./sleep.js";
import type { SidecarInfo, VerifyOptions } from "./types.js";
import { completedSuccessfully, healthy, running, type WaitStrategy } from "./wait.js";

type Condition = "service_started" | "service_healthy" | "service_completed_successfully";

export interface SidecarRun {
  /** The services to start, in dependency order (compose.ts dependencyOrder). */
  deps: readonly ComposeService[];
  /** The app's own service, whose depends_on counts too. */
  appService: ComposeService | undefined;
  composeFile?: string;
  /** The run's network: each sidecar joins it under its service name. */
  network: string;
  runId: string;
  labels: Record<string, string>;
  tracker: ResourceTracker;
  engine: () => Promise<EngineConnection>;
  deadline: number;
  signal: AbortSignal | undefined;
  progress: NonNullable<VerifyOptions["onProgress"]>;
  /** Filled as each one is ready (the result's `sidecars`). */
  started: SidecarInfo[];
  /** Service name -> container id, filled as each one starts (for the logs of a failed run). */
  ids: Map<string, string>;
}

/** What each dependency must reach before its dependents start: the strictest condition asked. */
function conditions(services: readonly ComposeService[]): Map<string, Condition> {
  const rank = { service_started: 0, service_completed_successfully: 1, service_healthy: 2 } as const;
  const needs = new Map<string, Condition>();
  for (const svc of services) {
    for (const d of svc.dependsOn) {
      const cur = needs.get(d.service);
      if (!cur || rank[d.condition] > rank[cur]) needs.set(d.service, d.condition);
    }
  }
  return needs;
}

/** Starts every sidecar and waits for each; a VerifyError names the one that is not ready. */
export async function startSidecars(run: SidecarRun): Promise<void> {
  const { deps, signal, progress } = run;
  const needs = conditions([...deps, ...(run.appService ? [run.appService] : [])]);
  for (const svc of deps) {
    throwIfAborted(signal);
    const engine = await run.engine();
    const image = await sidecarImage(svc, run, engine);
    progress({ type: "phase", phase: "sidecar", message: `starting ${svc.name} (${image})` });
    const s0 = Date.now();
    const id = await createContainer(engine, {
      image,
      name: `slimstage-verify-${run.runId}-${svc.name}`,
      env: svc.environment,
      ...(svc.command ? { cmd: svc.command } : {}),
      labels: { ...run.labels, "org.slimstage.service": svc.name },
      network: { name: run.network, aliases: [svc.name] },
      ...(svc.healthcheck ? { healthcheck: svc.healthcheck } : {}),
    });
    run.tracker.add("container", id);
    run.ids.set(svc.name, id);
    await putSecrets(engine, id, svc.secrets);
    await startContainer(engine, id);
    const need = needs.get(svc.name) ?? "service_started";
    const what = `sidecar ${svc.name}`;
    const strategy: WaitStrategy =
      need === "service_healthy"
        ? healthy(what)
        : need === "service_completed_successfully"
          ? completedSuccessfully(what)
          : running(what);
    if (
      need === "service_healthy" &&
      !svc.healthcheck &&
      !(await inspectEngineImage(image, engine)).healthcheck
    ) {
      throw new InputError(
        `${svc.name} is depended on with condition service_healthy but has no healthcheck`,
        {
          hint: `add a healthcheck to services.${svc.name} in ${run.composeFile}`,
        },
      );
    }
    progress({ type: "phase", phase: "sidecar", message: `waiting for ${strategy.description}` });
    try {
      await strategy.wait({
        engine,
        containerId: id,
        host: "",
        deadline: run.deadline,
        ...(signal ? { signal } : {}),
        exited: () => undefined,
      });
    } catch (e) {
      if (e instanceof VerifyError) {
        throw e.message.startsWith(what) ? e : new VerifyError(`${what} is not ready: ${e.message}`);
      }
      throw e;
    }
    run.started.push({ service: svc.name, image, readyMs: Date.now() - s0 });
  }
}

/** The sidecar's image: the compose file's `image`, or built from its `build` (and removed after the run). */
async function sidecarImage(svc: ComposeService, run: SidecarRun, engine: EngineConnection): Promise<string> {
  if (svc.image && !svc.build) return svc.image;
  const b = svc.build;
  if (!b) throw new VerifyError(`service ${svc.name} has no image`);
  const tag = svc.image ?? `slimstage-verify-${run.runId}-${svc.name}:latest`;
  run.progress({ type: "phase", phase: "sidecar", message: `building ${svc.name} from ${b.context}` });
  const dockerfile = b.dockerfile ? resolve(b.context, b.dockerfile) : join(b.context, "Dockerfile");
  // pip in the sidecar's build needs the offline index (reached as slimstage-index).
  const [{ needsPackageIndex, withPackageIndex }, { buildImage }] = await Promise.all([
    import("../bases/package-index.js"),
    import("../engine/build/build.js"),
  ]);
  const signal = run.signal;
  const needed = await needsPackageIndex([dockerfile]);
  const r = await withPackageIndex(needed ? { ...(signal ? { signal } : {}), engine } : undefined, (index) =>
    buildImage({
      ...index?.reach,
      context: b.context,
      dockerfile,
      ...(b.target ? { target: b.target } : {}),
      tags: [tag],
      buildArgs: b.args,
      labels: run.labels,
      engine,
      ...(signal ? { signal } : {}),
    }),
  );
  if (!svc.image) run.tracker.add("image", r.imageId);
  return tag;
}
