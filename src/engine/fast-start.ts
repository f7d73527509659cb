import { request } from "node:http";
import { EngineError, InputError } from "../errors.js";
import { MANAGED_LABEL } from "./cleanup.js";
import { type ContainerSpec, containerCreateBody, engineTrouble } from "./containers.js";
import { discoverEngines } from "./discovery.js";
import { type ContainerReach, type InspectForReach, reachFromInspect } from "./ports.js";
import { systemDiscoveryHost } from "./system-host.js";

/**
 * The few Engine API calls on the way from `slimstage verify` to its first
 * probe (inspect the image, create the network and the container, start it,
 * read its address, wait for its exit), over a unix socket with node:http.
 *
 * Hand-written on purpose: loading dockerode costs about half a second of
 * start-up, and verify's time to its first successful probe is measured
 * against `docker run` + curl. Everything else goes through dockerode, which
 * loads while the app boots. Only unix sockets take this path; other
 * engines (tcp, TLS, ssh) use dockerode from the start.
 */
export interface FastEngine {
  readonly socketPath: string;
  call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }>;
}

/** The first discovered engine when it is a unix socket; undefined otherwise (or when discovery fails). */
export async function fastEngine(): Promise<FastEngine | undefined> {
  const found = await discoverEngines(systemDiscoveryHost()).catch(() => undefined);
  const first = found?.candidates[0];
  if (first?.endpoint.kind !== "unix") return undefined;
  const socketPath = first.endpoint.socketPath;
  return {
    socketPath,
    call<T>(method: string, path: string, body?: unknown) {
      return new Promise<{ status: number; json: T }>((resolve, reject) => {
        const data = body === undefined ? undefined : JSON.stringify(body);
        const req = request(
          {
            socketPath,
            path,
            method,
            headers:
              data === undefined
                ? {}
                : { "content-type": "application/json", "content-length": Buffer.byteLength(data) },
          },
          (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (d: string) => {
              text += d;
            });
            res.on("end", () => {
              let json: unknown = {};
              try {
                json = text ? JSON.parse(text) : {};
              } catch {
                json = { message: text };
              }
              resolve({ status: res.statusCode ?? 0, json: json as T });
            });
            res.on("error", reject);
          },
        );
        req.on("error", reject);
        req.end(data);
      });
    },
  };
}

async function ok<T>(p: Promise<{ status: number; json: T }>, what: string): Promise<T> {
  let r: { status: number; json: T };
  try {
    r = await p;
  } catch (err) {
    throw engineTrouble(what, err);
  }
  if (r.status >= 300) {
    const msg = (r.json as { message?: string }).message ?? `status ${r.status}`;
    throw new EngineError(`${what}: ${msg}`);
  }
  return r.json;
}

export interface FastImageInfo {
  id: string;
  exposedPorts: number[];
  healthcheck: boolean;
}

export async function fastImageInfo(e: FastEngine, ref: string): Promise<FastImageInfo> {
  type Inspect = {
    Id?: string;
    message?: string;
    Config?: { ExposedPorts?: Record<string, unknown>; Healthcheck?: { Test?: string[] } };
  };
  let r: { status: number; json: Inspect };
  try {
    r = await e.call<Inspect>("GET", `/images/${encodeURIComponent(ref)}/json`);
  } catch (err) {
    throw engineTrouble(`could not inspect image ${ref}`, err);
  }
  if (r.status === 404) {
    throw new InputError(`image ${ref} is not in the engine's image store`, {
      hint: "build it first (slimstage build -t NAME) or check `docker images`",
    });
  }
  if (r.status >= 300) throw new EngineError(`could not inspect image ${ref}: ${r.json.message}`);
  const exposed = Object.keys(r.json.Config?.ExposedPorts ?? {})
    .filter((p) => p.endsWith("/tcp") || !p.includes("/"))
    .map((p) => Number.parseInt(p, 10))
    .filter((n) => Number.isFinite(n));
  const test = r.json.Config?.Healthcheck?.Test;
  return {
    id: r.json.Id ?? ref,
    exposedPorts: exposed,
    healthcheck: Array.isArray(test) && test.length > 0 && test[0] !== "NONE",
  };
}

export async function fastCreateNetwork(
  e: FastEngine,
  name: string,
  labels: Record<string, string>,
): Promise<string> {
  const r = await ok(
    e.call<{ Id: string }>("POST", "/networks/create", {
      Name: name,
      Driver: "bridge",
      CheckDuplicate: true,
      Labels: { ...labels, [MANAGED_LABEL]: "true" },
    }),
    `could not create network ${name}`,
  );
  return r.Id;
}

export async function fastCreateContainer(e: FastEngine, spec: ContainerSpec): Promise<string> {
  const q = spec.name ? `?name=${encodeURIComponent(spec.name)}` : "";
  const r = await ok(
    e.call<{ Id: string }>("POST", `/containers/create${q}`, containerCreateBody(spec)),
    `could not create a container from ${spec.image}`,
  );
  return r.Id;
}

/** Resolves with the exit code the next time the container stops (call before starting it). */
export function fastWaitForExit(e: FastEngine, id: string): Promise<number> {
  const p = ok(
    e.call<{ StatusCode?: number }>("POST", `/containers/${id}/wait?condition=next-exit`),
    "wait",
  ).then((r) => r.StatusCode ?? -1);
  p.catch(() => {});
  return p;
}

export async function fastStart(e: FastEngine, id: string): Promise<void> {
  await ok(e.call("POST", `/containers/${id}/start`), `could not start container ${id.slice(0, 12)}`);
}

/** Where the container's ports answer (see ports.ts); undefined when it has no address (e.g. already exited). */
export async function fastReach(
  e: FastEngine,
  id: string,
  network: string,
): Promise<ContainerReach | undefined> {
  const r = await ok(
    e.call<InspectForReach>("GET", `/containers/${id}/json`),
    `could not inspect container ${id.slice(0, 12)}`,
  );
  return reachFromInspect(r, network, `unix://${e.socketPath}`);
}
