import { hostname } from "node:os";
import type { EngineConnection } from "./connect.js";
import { statusOf } from "./trouble.js";

/** Every container, network and image slimstage creates carries this label. */
export const MANAGED_LABEL = "org.slimstage.managed";
/** Groups what one run created, so it can be removed together. */
export const RUN_LABEL = "org.slimstage.run";
/** `HOST/PID` of the process that made a run's resources: `slimstage clean` leaves live runs alone. */
export const OWNER_LABEL = "org.slimstage.owner";

export function ownerLabelValue(): string {
  return `${hostname()}/${process.pid}`;
}

/** True when the engine said "no such ..." (already gone counts as removed). */
export function isNotFound(err: unknown): boolean {
  return statusOf(err) === 404;
}

export interface TrackedResource {
  kind: "container" | "network" | "image";
  id: string;
}

/**
 * Remembers what a run created and removes it in reverse order, whatever
 * happened (success, failure, timeout, interrupt). Removal is best effort and
 * never throws; what could not be removed is returned.
 */
export class ResourceTracker implements AsyncDisposable {
  private items: TrackedResource[] = [];

  /** `engine` may be given lazily: the connection is only needed to remove things. */
  constructor(private readonly engine: EngineConnection | (() => Promise<EngineConnection>)) {}

  add(kind: TrackedResource["kind"], id: string): void {
    this.items.push({ kind, id });
  }

  /** What is still to be removed. */
  get resources(): readonly TrackedResource[] {
    return this.items;
  }

  /**
   * Removes everything tracked (containers first, then networks, then
   * images). What could not be removed stays tracked, so calling it again
   * retries (after the engine comes back, say).
   */
  async cleanup(): Promise<TrackedResource[]> {
    const order = { container: 0, network: 1, image: 2 } as const;
    const items = [...this.items].reverse().sort((a, b) => order[a.kind] - order[b.kind]);
    const left: TrackedResource[] = [];
    // Containers go in parallel: a forced removal kills at once, no stop timeout.
    const containers = items.filter((i) => i.kind === "container");
    const results = await Promise.all(containers.map((c) => this.removeOne(c)));
    containers.forEach((c, k) => {
      if (!results[k]) left.push(c);
    });
    for (const item of items.filter((i) => i.kind !== "container")) {
      if (!(await this.removeOne(item))) left.push(item);
    }
    this.items = left;
    return left;
  }

  private async removeOne(item: TrackedResource): Promise<boolean> {
    try {
      const { docker } = typeof this.engine === "function" ? await this.engine() : this.engine;
      if (item.kind === "container") await docker.getContainer(item.id).remove({ force: true, v: true });
      else if (item.kind === "network") await docker.getNetwork(item.id).remove();
      else await docker.getImage(item.id).remove({ force: true });
      return true;
    } catch (err) {
      if (isNotFound(err)) return true;
      this.lastError = err instanceof Error ? err.message : String(err);
      return false;
    }
  }

  /** Why the last removal failed, for the message when something stays behind. */
  lastError: string | undefined;

  async [Symbol.asyncDispose](): Promise<void> {
    await this.cleanup();
  }
}

export interface LabelCounts {
  containers: number;
  networks: number;
  images: number;
}

function labelFilter(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`);
}

/** How many containers, networks and images carry all the given labels. */
export async function countByLabel(
  engine: EngineConnection,
  labels: Record<string, string>,
): Promise<LabelCounts> {
  const filters = JSON.stringify({ label: labelFilter(labels) });
  const { docker } = engine;
  const [containers, networks, images] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listImages({ filters }),
  ]);
  return { containers: containers.length, networks: networks.length, images: images.length };
}

/**
 * Removes the containers and networks (and, if asked, images) that carry all
 * the given labels. Only ever call it with labels that name what you created
 * (a run id, a test area), never the bare managed label on a shared engine.
 */
export async function removeByLabel(
  engine: EngineConnection,
  labels: Record<string, string>,
  opts: { images?: boolean } = {},
): Promise<LabelCounts> {
  const filters = JSON.stringify({ label: labelFilter(labels) });
  const { docker } = engine;
  const tracker = new ResourceTracker(engine);
  for (const c of await docker.listContainers({ all: true, filters })) tracker.add("container", c.Id);
  for (const n of await docker.listNetworks({ filters })) tracker.add("network", n.Id);
  if (opts.images) for (const i of await docker.listImages({ filters })) tracker.add("image", i.Id);
  const all = tracker.resources.slice();
  const left = await tracker.cleanup();
  const count = (k: TrackedResource["kind"]) =>
    all.filter((r) => r.kind === k).length - left.filter((r) => r.kind === k).length;
  return { containers: count("container"), networks: count("network"), images: count("image") };
}
