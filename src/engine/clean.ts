/**
 * What `slimstage clean` finds and removes: containers, networks and images
 * that carry a run label (org.slimstage.run), left behind by runs that were
 * killed (SIGKILL, a crash) before their own clean-up, and slimstage's temp
 * dirs. Resources whose owning process is still alive on this host are kept.
 */
import { readdir, rm, stat } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { isNotFound, OWNER_LABEL, RUN_LABEL } from "./cleanup.js";
import { connectEngine, type EngineConnection } from "./connect.js";

export interface Leftover {
  kind: "container" | "network" | "image" | "temp-dir";
  id: string;
  /** Container or network name, image tag, or the temp dir's path. */
  name: string;
  run?: string;
}

export interface CleanOptions {
  /** Remove what was found; without it, only list (the default: a dry run). */
  force?: boolean;
  /** Only engine resources of this run id. */
  run?: string;
  /** Temp dirs untouched for at least this long (default 60 minutes): younger ones may be in use. */
  minTempAgeMs?: number;
  /** Where temp dirs are looked for (default: the OS temp dir, and /var/tmp where base builds keep rootfs trees unless TMPDIR is set). */
  tempRoots?: readonly string[];
  engine?: EngineConnection;
}

export interface CleanResult {
  dryRun: boolean;
  found: Leftover[];
  removed: Leftover[];
  /** Found but left alone, and why (a live owner). */
  kept: Array<Leftover & { reason: string }>;
  failed: Array<Leftover & { error: string }>;
}

const TEMP_PREFIX = /^slimstage-/;

/** True when `HOST/PID` names a process alive on this host. */
function ownerAlive(owner: string | undefined): boolean {
  if (!owner) return false;
  const [host, pid] = owner.split("/");
  if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function tempDirs(roots: readonly string[], minAgeMs: number): Promise<Leftover[]> {
  const out: Leftover[] = [];
  const now = Date.now();
  for (const root of new Set(roots)) {
    const names = await readdir(root).catch(() => [] as string[]);
    for (const n of names) {
      if (!TEMP_PREFIX.test(n)) continue;
      const p = join(root, n);
      const st = await stat(p).catch(() => undefined);
      if (!st?.isDirectory() || now - st.mtimeMs < minAgeMs) continue;
      out.push({ kind: "temp-dir", id: p, name: p });
    }
  }
  return out;
}

export async function cleanLeftovers(opts: CleanOptions = {}): Promise<CleanResult> {
  const engine = opts.engine ?? (await connectEngine());
  const d = engine.docker;
  const label = opts.run === undefined ? RUN_LABEL : `${RUN_LABEL}=${opts.run}`;
  const filters = JSON.stringify({ label: [label] });
  const [containers, networks, images] = await Promise.all([
    d.listContainers({ all: true, filters }),
    d.listNetworks({ filters }),
    d.listImages({ filters }),
  ]);
  const result: CleanResult = { dryRun: opts.force !== true, found: [], removed: [], kept: [], failed: [] };
  const consider = (l: Leftover, labels: Record<string, string> | undefined) => {
    const owner = labels?.[OWNER_LABEL];
    if (ownerAlive(owner)) result.kept.push({ ...l, reason: `its run is still going (process ${owner})` });
    else result.found.push(l);
  };
  const run = (labels: Record<string, string> | undefined) => {
    const r = labels?.[RUN_LABEL];
    return r === undefined ? {} : { run: r };
  };
  for (const c of containers)
    consider(
      { kind: "container", id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, ""), ...run(c.Labels) },
      c.Labels,
    );
  for (const n of networks) consider({ kind: "network", id: n.Id, name: n.Name, ...run(n.Labels) }, n.Labels);
  for (const i of images)
    consider({ kind: "image", id: i.Id, name: i.RepoTags?.[0] ?? i.Id, ...run(i.Labels) }, i.Labels);
  result.found.push(
    ...(await tempDirs(
      opts.tempRoots ?? [tmpdir(), process.env.TMPDIR ?? "/var/tmp"],
      opts.minTempAgeMs ?? 60 * 60 * 1000,
    )),
  );
  if (!opts.force) return result;

  // Containers first: a network or image in use by one cannot go before it.
  const order = { container: 0, network: 1, image: 2, "temp-dir": 3 } as const;
  for (const l of [...result.found].sort((a, b) => order[a.kind] - order[b.kind])) {
    try {
      if (l.kind === "container") await d.getContainer(l.id).remove({ force: true, v: true });
      else if (l.kind === "network") await d.getNetwork(l.id).remove();
      else if (l.kind === "image") await d.getImage(l.id).remove();
      else await rm(l.id, { recursive: true, force: true });
      result.removed.push(l);
    } catch (e) {
      if (isNotFound(e)) result.removed.push(l);
      else result.failed.push({ ...l, error: (e as Error).message });
    }
  }
  return result;
}
