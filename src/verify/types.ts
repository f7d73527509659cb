/** Probes: what "the image works" means, checked against a running container. */

export interface HttpProbe {
  kind: "http";
  /** The container port (the probe reaches it on the private network). */
  port: number;
  /** Path with query, starting with '/'. */
  path: string;
  method?: string;
  /** Expected status; without one any status below 400 passes. */
  expectStatus?: number;
  /** Text the body must contain; `{n}` stands for the request's number (1, 2, 3, ...). */
  expectBody?: string;
  /** JSON fields the body must have: dot path (`a.b.0`) and value (`{n}` as above). */
  expectJson?: { path: string; value: string }[];
  /** Send the request this many times in a row (default 1). */
  repeat?: number;
  /** Text the i-th response body must contain (implies repeat >= its length). */
  expectSequence?: string[];
}

export interface TcpProbe {
  kind: "tcp";
  port: number;
}

export interface CmdProbe {
  kind: "cmd";
  /** Run inside the app container with `sh -c` when it has a shell, else split on spaces. */
  command: string;
  /** Expected exit code (default 0). */
  expectExitCode?: number;
  /** Text the combined output must contain. */
  expectOutput?: string;
}

export type Probe = HttpProbe | TcpProbe | CmdProbe;

export interface ProbeResult {
  probe: Probe;
  ok: boolean;
  /** What was seen: `200 OK, body contains "Hello"`, or why it failed. */
  detail: string;
  durationMs: number;
  /** Connection attempts before the first answer (start-up polling). */
  attempts: number;
}

/** How to tell the app is up before probing (besides retrying the probes themselves). */
export type WaitSpec =
  | { kind: "port"; port: number }
  | { kind: "log"; pattern: string }
  | { kind: "healthy" };

export type VerifyPhase = "prepare" | "network" | "sidecar" | "start" | "wait" | "probe" | "cleanup";

export type VerifyProgressEvent =
  | { type: "phase"; phase: VerifyPhase; message: string }
  | { type: "probe"; result: ProbeResult };

export interface SidecarInfo {
  service: string;
  image: string;
  /** How long it took to be ready (started, or healthy when depended on with service_healthy). */
  readyMs: number;
}

export interface VerifyResult {
  image: string;
  ok: boolean;
  probes: ProbeResult[];
  /** From starting the app container to its first successful probe. */
  startupMs?: number;
  /** Wall-clock time (epoch ms) of the first successful probe, for benchmarks. */
  firstProbeOkAt?: number;
  /** Peak memory of the app container, from the engine's stats. */
  peakMemoryBytes?: number;
  sidecars: SidecarInfo[];
  /** The app container's output, kept when verification failed. */
  logs?: string;
  /** Logs of sidecars, kept when verification failed. */
  sidecarLogs?: Record<string, string>;
  /** Why verification failed, in one sentence. */
  error?: string;
  /** Things accepted but not applied (compose keys that verify ignores). */
  warnings?: string[];
  durationMs: number;
}

export interface VerifyOptions {
  image: string;
  probes: Probe[];
  env?: Record<string, string>;
  /** Take sidecars (the service's depends_on) and environment from a compose file. */
  compose?: { file: string; service: string; profiles?: string[] };
  /** Extra wait strategies before probing. */
  wait?: WaitSpec[];
  /** Overall limit for start-up and probes (default 60 s). */
  timeoutMs?: number;
  /** Command override for the app container. */
  command?: string[];
  signal?: AbortSignal;
  onProgress?: (e: VerifyProgressEvent) => void;
  /** Labels added to everything the run creates (tests use them to count leftovers). */
  labels?: Record<string, string>;
}
