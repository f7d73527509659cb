import Docker from "dockerode";
import { EngineError } from "../errors.js";

/**
 * A live connection to a container engine. `docker` is dockerode's client and
 * stays inside src/engine/: its types never reach the public API.
 *
 * NOTE: minimal first version (DOCKER_HOST or the default socket). The engine
 * discovery work (issue 2) replaces the body of `connectEngine` with the
 * ordered strategy list; the signature stays.
 */
export interface EngineConnection {
  readonly docker: Docker;
  /** How it was found, e.g. "DOCKER_HOST=unix:///var/run/docker.sock". */
  readonly source: string;
  /** The address as a DOCKER_HOST value, for spawning a CLI client against the same engine. */
  readonly host: string;
}

export async function connectEngine(): Promise<EngineConnection> {
  const host = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
  const docker = host.startsWith("unix://")
    ? new Docker({ socketPath: host.slice("unix://".length) })
    : new Docker();
  try {
    await docker.ping();
  } catch (cause) {
    throw new EngineError(`no container engine answers at ${host}`, {
      cause,
      hint: "run `slimstage setup` (Debian/Ubuntu, as root) or point DOCKER_HOST at an engine",
    });
  }
  return { docker, source: process.env.DOCKER_HOST ? "DOCKER_HOST" : "default socket", host };
}
