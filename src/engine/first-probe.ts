/**
 * The engine calls on the way from `slimstage verify` to its first probe
 * (inspect the image, create the network and the container, wait for its
 * exit, start it, read its address), through the one engine client.
 *
 * These used to go through a second, hand-written Engine API client
 * (fast-start.ts) because loading dockerode cost about half a second. That
 * cost was ssh2 and dockerode's gRPC session, loaded eagerly and never used
 * here: dockerode-load.ts defers them, and this module is now a thin layer
 * over connect.ts and containers.ts that keeps verify's calls as they were.
 */
import { connectEngine, type EngineConnection } from "./connect.js";
import { type ContainerSpec, createContainer, startContainer, waitForExit } from "./containers.js";
import { type EngineImage, inspectEngineImage } from "./images.js";
import { createNetwork } from "./networks.js";
import { type ContainerReach, containerReach } from "./ports.js";

export interface FastEngine {
  readonly engine: EngineConnection;
}

/** The engine, or undefined when none answers (the caller's own connectEngine then explains why). */
export async function fastEngine(): Promise<FastEngine | undefined> {
  const engine = await connectEngine().catch(() => undefined);
  return engine ? { engine } : undefined;
}

export type FastImageInfo = EngineImage;

export function fastImageInfo(e: FastEngine, ref: string): Promise<FastImageInfo> {
  return inspectEngineImage(ref, e.engine);
}

export async function fastCreateNetwork(
  e: FastEngine,
  name: string,
  labels: Record<string, string>,
): Promise<string> {
  return (await createNetwork(e.engine, { name, labels })).id;
}

export function fastCreateContainer(e: FastEngine, spec: ContainerSpec): Promise<string> {
  return createContainer(e.engine, spec);
}

/** Resolves with the exit code the next time the container stops (call before starting it). */
export function fastWaitForExit(e: FastEngine, id: string): Promise<number> {
  return waitForExit(e.engine, id);
}

export function fastStart(e: FastEngine, id: string): Promise<void> {
  return startContainer(e.engine, id);
}

/** Where the container's ports answer (see ports.ts); undefined when it has no address (e.g. already exited). */
export function fastReach(e: FastEngine, id: string, network: string): Promise<ContainerReach | undefined> {
  return containerReach(e.engine, id, network);
}
