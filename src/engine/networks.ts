import { randomBytes } from "node:crypto";
import { EngineError } from "../errors.js";
import { MANAGED_LABEL } from "./cleanup.js";
import type { EngineConnection } from "./connect.js";

export interface CreatedNetwork {
  id: string;
  name: string;
}

/** A unique, recognisable name: `slimstage-verify-1a2b3c4d`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/** Creates a private bridge network for one run, labelled as ours. */
export async function createNetwork(
  engine: EngineConnection,
  opts: { name?: string; labels?: Record<string, string> } = {},
): Promise<CreatedNetwork> {
  const name = opts.name ?? uniqueName("slimstage-net");
  try {
    const net = await engine.docker.createNetwork({
      Name: name,
      Driver: "bridge",
      CheckDuplicate: true,
      Labels: { ...opts.labels, [MANAGED_LABEL]: "true" },
    });
    return { id: net.id, name };
  } catch (cause) {
    throw new EngineError(`could not create network ${name}`, { cause });
  }
}
