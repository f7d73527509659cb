/**
 * How the client reaches a container's ports, on any engine. The container's
 * address on its network answers only where that network is routed to this
 * host (a local Linux engine, rootful Podman). A remote engine (tcp://,
 * ssh://), Docker Desktop or rootless Podman runs containers on networks the
 * client cannot route to: there the ports are published to ephemeral host
 * ports and reached at the engine's host, as testcontainers does.
 */

import { BlockList, isIPv4 } from "node:net";
import { networkInterfaces } from "node:os";
import { EngineError } from "../errors.js";
import type { EngineConnection } from "./connect.js";
import { engineTrouble } from "./trouble.js";

/** What a create body needs to publish `ports` (tcp) to ephemeral host ports. */
export interface PortPublishing {
  ports: number[];
  /** The host address to bind: loopback for a local engine, all addresses for a remote one. */
  hostIp: string;
}

/** Where a container's ports answer for this client. */
export interface ContainerReach {
  /** Host to connect to. */
  host: string;
  /** Container port -> port to connect to at `host`. */
  ports: ReadonlyMap<number, number>;
  /** "network": the container's own address; "published": ephemeral host ports at the engine's host. */
  via: "network" | "published";
}

/** The engine's host as the client reaches it, from a DOCKER_HOST-style address. */
export function engineHostAddress(dockerHost: string): string {
  if (dockerHost.startsWith("unix://") || dockerHost.startsWith("npipe://") || dockerHost.startsWith("/")) {
    return "127.0.0.1";
  }
  if (
    dockerHost.startsWith("tcp://") ||
    dockerHost.startsWith("http://") ||
    dockerHost.startsWith("https://")
  ) {
    return new URL(dockerHost.replace(/^tcp:/, "http:")).hostname.replace(/^\[(.*)\]$/, "$1");
  }
  throw new EngineError(`cannot reach published ports of the engine at ${dockerHost}`, {
    hint: "probes over ssh:// need a tunnel: forward the engine's socket (ssh -L) and set DOCKER_HOST=tcp://127.0.0.1:PORT",
  });
}

/** The publishing for `ports` on the engine at `dockerHost` (bind loopback only where the client is local). */
export function portPublishing(dockerHost: string, ports: readonly number[]): PortPublishing {
  const local = engineHostAddress(dockerHost) === "127.0.0.1";
  return { ports: [...new Set(ports)].sort((a, b) => a - b), hostIp: local ? "127.0.0.1" : "" };
}

/** The Engine API fields that publish the ports (merged into a create body by containers.ts). */
export function publishBody(p: PortPublishing): {
  ExposedPorts: Record<string, object>;
  PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
} {
  const key = (n: number) => `${n}/tcp`;
  return {
    ExposedPorts: Object.fromEntries(p.ports.map((n) => [key(n), {}])),
    PortBindings: Object.fromEntries(p.ports.map((n) => [key(n), [{ HostIp: p.hostIp, HostPort: "" }]])),
  };
}

/** Whether `ip` lies on a network one of this host's interfaces is on (then it is routed here directly). */
export function onLocalNetwork(
  ip: string,
  interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces(),
): boolean {
  if (!isIPv4(ip)) return false;
  const list = new BlockList();
  for (const addrs of Object.values(interfaces)) {
    for (const a of addrs ?? []) {
      if (a.family !== "IPv4" || a.internal) continue;
      const prefix = Number(a.cidr?.split("/")[1] ?? 32);
      list.addSubnet(a.address, prefix, "ipv4");
    }
  }
  return list.check(ip, "ipv4");
}

/** The parts of a container inspect this needs. */
export interface InspectForReach {
  NetworkSettings?: {
    Networks?: Record<string, { IPAddress?: string }>;
    Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
  };
}

/**
 * Where the container's `ports` answer: its address on `network` when that
 * network is routed to this host (today's fast path, and the only one where a
 * local engine's userland proxy cannot accept for an app that does not listen
 * yet), else its published ports at the engine's host. Undefined while it has
 * neither (it exited before getting them).
 */
export function reachFromInspect(
  info: InspectForReach,
  network: string,
  dockerHost: string,
  opts: { interfaces?: ReturnType<typeof networkInterfaces>; forcePublished?: boolean } = {},
): ContainerReach | undefined {
  const ip = info.NetworkSettings?.Networks?.[network]?.IPAddress ?? "";
  const published = new Map<number, number>();
  for (const [key, bindings] of Object.entries(info.NetworkSettings?.Ports ?? {})) {
    const m = /^(\d+)\/tcp$/.exec(key);
    const hostPort = Number(bindings?.[0]?.HostPort ?? "");
    if (m && hostPort > 0) published.set(Number(m[1]), hostPort);
  }
  const force = opts.forcePublished ?? process.env.SLIMSTAGE_PROBE_VIA === "published";
  // Only a local engine's networks can be this host's: a remote one's may merely reuse a local range.
  const local = engineHostAddress(dockerHost) === "127.0.0.1";
  if (ip && local && !force && onLocalNetwork(ip, opts.interfaces)) {
    return { host: ip, ports: new Map([...published.keys()].map((p) => [p, p])), via: "network" };
  }
  if (published.size === 0) return undefined;
  return { host: engineHostAddress(dockerHost), ports: published, via: "published" };
}

/** reachFromInspect for a container of `engine` (inspects it). */
export async function containerReach(
  engine: EngineConnection,
  id: string,
  network: string,
): Promise<ContainerReach | undefined> {
  let info: InspectForReach;
  try {
    info = (await engine.docker.getContainer(id).inspect()) as InspectForReach;
  } catch (err) {
    throw engineTrouble(`could not inspect container ${id.slice(0, 12)}`, err);
  }
  return reachFromInspect(info, network, engine.host);
}
