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
  /** Request headers. */
  headers?: Record<string, string>;
  /** Request body (a file's or a JSON value's text is read into it when the probe is parsed). */
  body?: string;
  /** The answer's Content-Type must start with this (e.g. `application/json`). */
  expectContentType?: string;
  /** Limit for one request (default 5 s; the overall timeout still applies). */
  requestTimeoutMs?: number;
  /**
   * The default probe made when none was given: any HTTP answer below 500
   * passes; a port that answers but not with HTTP falls back to a TCP
   * connect, and the result says it was verified by TCP only.
   */
  fallbackToTcp?: boolean;
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
  /** On failure: what the probe expected, and what came back (for the terminal and --json). */
  expected?: string;
  got?: string;
  /** Only a TCP connect succeeded (the port does not speak HTTP). */
  tcpOnly?: boolean;
}

/** How to tell the app is up before probing (besides retrying the probes themselves). */
export type WaitSpec =
  | { kind: "port"; port: number }
  | { kind: "log"; pattern: string }
  | { kind: "healthy" };

export type VerifyPhase =
  | "prepare"
  | "network"
  | "sidecar"
  | "start"
  | "wait"
  | "probe"
  | "liveness"
  | "cleanup";

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
  /** The image's HEALTHCHECK, run once after the probes (with runHealthcheck): its command and exit code. */
  healthcheck?: { command: string[]; exitCode: number };
  /** The app container's output, kept when verification failed. */
  logs?: string;
  /** Logs of sidecars, kept when verification failed. */
  sidecarLogs?: Record<string, string>;
  /** Why verification failed, in one sentence. */
  error?: string;
  /** The failing probe: its name, what it expected and what came back. */
  failedProbe?: { probe: string; expected: string; got: string };
  /** The last lines of the app's output, kept when verification failed. */
  logTail?: string[];
  /** Whether the app stayed up for the grace period after the last request. */
  liveness?: { ok: boolean; graceMs: number; reason?: string };
  /** Probes that passed by a TCP connect only (the port does not answer HTTP). */
  tcpOnly?: string[];
  /** Differential verification against an original image (verify --against). */
  differential?: DifferentialEvidence;
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
  /** How long the app must stay up after the last request (default 3 s; 0 turns the check off). */
  livenessMs?: number;
  /** Command override for the app container (after the image's ENTRYPOINT, as `docker run IMAGE ARGS`). */
  command?: string[];
  /**
   * Run the image's own HEALTHCHECK command once after the probes passed (as the engine runs it:
   * `docker exec`) and fail unless it exits 0. optimize sets it for the images it makes: an image
   * whose health check fails is restarted or taken out of service by an orchestrator.
   */
  runHealthcheck?: boolean;
  /**
   * Entrypoint override for the app container, as `docker run --entrypoint`: the image's
   * ENTRYPOINT and CMD are both replaced (`command`, if given, follows it).
   */
  entrypoint?: string[];
  signal?: AbortSignal;
  onProgress?: (e: VerifyProgressEvent) => void;
  /** Labels added to everything the run creates (tests use them to count leftovers). */
  labels?: Record<string, string>;
}

/** One answer, summarised for the evidence. */
export interface AnswerSummary {
  status: number;
  contentType: string;
  bytes: number;
  sha256: string;
  /** The first characters of the body (text only). */
  excerpt: string;
  /** No answer: why (refused, reset, timed out). */
  error?: string;
}

/** One request of the set and what came of it. */
export interface RequestEvidence {
  /** `GET :8000/static/app.css`. */
  request: string;
  /** Why it is in the set (`probe`, `link from /`, `openapi /openapi.json`, `must not exist`, `HEAD /`). */
  source: string;
  verdict: "identical" | "identical-masked" | "status-and-type-only" | "differs";
  original: AnswerSummary;
  candidate?: AnswerSummary;
  /** What differs (verdict `differs`), or what was masked. */
  detail?: string;
}

/** The evidence of a differential verification. */
export interface DifferentialEvidence {
  /** The original image the candidate was compared with. */
  against: string;
  requests: RequestEvidence[];
  identical: number;
  differing: number;
  /** Everything masked because the original's own two runs differed there. */
  masked: { request: string; what: string }[];
  /** Which bounds cut discovery short (`maxRequests`, `time`), if any. */
  truncated: string[];
  /** Wall-clock time of the three runs (original twice, candidate once). */
  durationMs: number;
  /** The original's own runs (their probes and timings). */
  originalRuns: VerifyResult[];
}
