/**
 * How a build's RUN steps reach a service slimstage runs on this host (the
 * offline package index) without `--network host`: BuildKit's default network
 * for RUN steps is the engine's bridge, whose gateway address is this host's
 * own interface. A service bound to that address alone is reachable from
 * builds, while services bound to the host's loopback are not (measured in
 * src/bases/package-index.engine.test.ts). An engine elsewhere (a remote dockerd, a VM,
 * a namespaced dockerd) has a gateway that is not ours: there the build falls
 * back to the host network and a tunnel to the engine's loopback.
 */
import { createServer } from "node:net";
import type { EngineConnection } from "../connect.js";

/**
 * True when this host can listen on `address` (it is one of its own). A bind, not
 * os.networkInterfaces(): that leaves out a bridge with no container attached
 * (docker0 is down until the first one starts), whose address is still ours.
 */
function isOwnAddress(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(0, address, () => s.close(() => resolve(true)));
  });
}

/** The bridge network's gateway when it is an address of this host; undefined otherwise. */
export async function localBridgeGateway(engine: EngineConnection): Promise<string | undefined> {
  const info = (await engine.docker
    .getNetwork("bridge")
    .inspect()
    .catch(() => undefined)) as { IPAM?: { Config?: { Gateway?: string }[] } } | undefined;
  const gateways = (info?.IPAM?.Config ?? []).map((c) => c.Gateway).filter((g): g is string => !!g);
  for (const g of gateways) if (await isOwnAddress(g)) return g;
  return undefined;
}
