import { request } from "node:http";
import { connect } from "node:net";
import type { ExecResult } from "../engine/containers.js";
import { describeProbe } from "./probe-spec.js";
import { sleep, throwIfAborted } from "./sleep.js";
import type { CmdProbe, HttpProbe, Probe, ProbeResult, TcpProbe } from "./types.js";

/** Where probes reach the app: its address on the run's network, and exec inside it. */
export interface ProbeTarget {
  host: string;
  /** Container port -> port at `host` (published ports); absent or unmapped: the same port. */
  ports?: ReadonlyMap<number, number>;
  exec(cmd: string[], timeoutMs: number): Promise<ExecResult>;
  /** Why the container is no longer running, once it is not. */
  exited(): string | undefined;
  /** Fires when the container stops: cuts a connection attempt that would otherwise hang. */
  stopped?: AbortSignal;
}

export interface ProbeRunOptions {
  /** Epoch ms after which no more attempts are made. */
  deadline: number;
  signal?: AbortSignal;
  /** Pause between connection attempts while the app starts. */
  pollMs?: number;
  /** Per-request limit (default 5 s, never past the deadline). */
  requestTimeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

/** One HTTP answer, as probes and differential verification see it. */
export interface HttpAnswer {
  status: number;
  /** The Content-Type header, as sent ("" when absent). */
  contentType: string;
  /** The body as UTF-8 text (what expectations match against). */
  body: string;
  /** The body's bytes, capped at `maxBytes` (static assets are compared byte for byte). */
  bytes: Buffer;
  /** True when the body was longer than the cap. */
  truncated: boolean;
}

/** One HTTP request's parts beyond host and port. */
export interface HttpRequestSpec {
  path: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Bytes of body kept (default 1 MB). */
  maxBytes?: number;
}

/** Connection-level trouble (refused, reset, timed out): the app may not be up yet. */
export class ConnectError extends Error {
  /** The port answered, but not with HTTP (Node's parser refused the reply). */
  readonly notHttp: boolean;
  constructor(message: string, notHttp = false) {
    super(message);
    this.notHttp = notHttp;
  }
}

/** The port to connect to at the target's host for the container's `port`. */
export function portAt(target: { ports?: ReadonlyMap<number, number> }, port: number): number {
  return target.ports?.get(port) ?? port;
}

/** One HTTP request; connection problems reject with ConnectError. */
export function httpRequest(host: string, port: number, spec: HttpRequestSpec): Promise<HttpAnswer> {
  let off = () => {};
  const max = spec.maxBytes ?? 1_000_000;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const headers = { ...spec.headers };
    if (spec.body !== undefined) headers["content-length"] = String(Buffer.byteLength(spec.body));
    const req = request(
      { host, port, path: spec.path, method: spec.method, headers, agent: false, timeout: spec.timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        res.on("data", (d: Buffer) => {
          if (size >= max) {
            truncated = true;
            return;
          }
          const keep = d.subarray(0, max - size);
          if (keep.length < d.length) truncated = true;
          chunks.push(keep);
          size += keep.length;
        });
        res.on("end", () => {
          const bytes = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers["content-type"] ?? ""),
            body: bytes.toString("utf8"),
            bytes,
            truncated,
          });
        });
        res.on("error", (e) => reject(new ConnectError(e.message)));
      },
    );
    req.on("timeout", () => req.destroy(new ConnectError(`no answer within ${spec.timeoutMs} ms`)));
    req.on("error", (e: NodeJS.ErrnoException) => {
      // HPE_*: bytes came back that are not HTTP (a Redis or database port).
      const notHttp = typeof e.code === "string" && e.code.startsWith("HPE_");
      reject(new ConnectError(notHttp ? `not an HTTP answer (${e.code})` : (e.code ?? e.message), notHttp));
    });
    off = cutOn(spec.signal, () => req.destroy(new ConnectError("cut short")));
    req.end(spec.body);
  }).finally(() => off());
}

/** One GET-style request without a body (kept for callers that need only status and text). */
export function httpOnce(
  host: string,
  port: number,
  path: string,
  method: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<HttpAnswer> {
  return httpRequest(host, port, { path, method, timeoutMs, signal });
}

/** Opens and closes one TCP connection. */
export function tcpOnce(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  let off = () => {};
  return new Promise<void>((resolve, reject) => {
    const sock = connect({ host, port });
    off = cutOn(signal, () => sock.destroy(new ConnectError("cut short")));
    sock.setTimeout(timeoutMs, () => sock.destroy(new ConnectError(`no connection within ${timeoutMs} ms`)));
    sock.once("connect", () => {
      sock.destroy();
      resolve();
    });
    sock.once("error", (e: NodeJS.ErrnoException) => reject(new ConnectError(e.code ?? e.message)));
  }).finally(() => off());
}

/** Runs `cut` when the signal fires; returns the undo (listeners must not pile up over attempts). */
function cutOn(signal: AbortSignal | undefined, cut: () => void): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    cut();
    return () => {};
  }
  signal.addEventListener("abort", cut, { once: true });
  return () => signal.removeEventListener("abort", cut);
}

/** Reads `a.b.0.c` from parsed JSON. */
export function jsonAt(value: unknown, path: string): { found: boolean; value?: unknown } {
  let cur: unknown = value;
  for (const part of path.split(".")) {
    if (Array.isArray(cur) && /^\d+$/.test(part)) cur = cur[Number(part)];
    else if (cur !== null && typeof cur === "object" && part in cur)
      cur = (cur as Record<string, unknown>)[part];
    else return { found: false };
  }
  return { found: true, value: cur };
}

function sameValue(actual: unknown, expected: string): boolean {
  if (typeof actual === "string") return actual === expected;
  try {
    return JSON.stringify(actual) === JSON.stringify(JSON.parse(expected));
  } catch {
    return String(actual) === expected;
  }
}

const fill = (text: string, n: number) => text.replaceAll("{n}", String(n));
const quote = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);

/** What an HTTP check found wrong: one sentence, and the expected/got pair shown on failure. */
export interface HttpProblem {
  detail: string;
  expected: string;
  got: string;
}

/** Checks one HTTP answer against the probe; returns the problem, or undefined. */
export function checkHttpAnswer(
  p: HttpProbe,
  a: Pick<HttpAnswer, "status" | "body"> & { contentType?: string },
  n: number,
): HttpProblem | undefined {
  const limit = p.fallbackToTcp ? 500 : 400;
  if (p.expectStatus !== undefined ? a.status !== p.expectStatus : a.status >= limit) {
    const expected = `status ${p.expectStatus ?? `< ${limit}`}`;
    return {
      detail: `status ${a.status}, expected ${p.expectStatus ?? `< ${limit}`}`,
      expected,
      got: `status ${a.status}: ${quote(a.body.trim())}`,
    };
  }
  const ct = a.contentType ?? "";
  if (p.expectContentType !== undefined && !ct.toLowerCase().startsWith(p.expectContentType.toLowerCase())) {
    return {
      detail: `content type ${JSON.stringify(ct)}, expected ${JSON.stringify(p.expectContentType)}`,
      expected: `content type ${p.expectContentType}`,
      got: `content type ${ct || "(none)"}`,
    };
  }
  const body = quote(a.body.trim());
  const want = p.expectSequence?.[n - 1];
  if (want !== undefined && !a.body.includes(want))
    return {
      detail: `request ${n}: body ${body} does not contain ${quote(want)}`,
      expected: `body containing ${quote(want)}`,
      got: `body ${body}`,
    };
  if (p.expectBody !== undefined) {
    const text = fill(p.expectBody, n);
    if (!a.body.includes(text))
      return {
        detail: `request ${n}: body ${body} does not contain ${quote(text)}`,
        expected: `body containing ${quote(text)}`,
        got: `body ${body}`,
      };
  }
  if (p.expectJson && p.expectJson.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(a.body);
    } catch {
      return {
        detail: `request ${n}: body is not JSON: ${body}`,
        expected: "a JSON body",
        got: `body ${body}`,
      };
    }
    for (const e of p.expectJson) {
      const got = jsonAt(parsed, e.path);
      const v = fill(e.value, n);
      if (!got.found)
        return {
          detail: `request ${n}: JSON has no field ${e.path}`,
          expected: `${e.path} = ${v}`,
          got: `no field ${e.path} in ${body}`,
        };
      if (!sameValue(got.value, v))
        return {
          detail: `request ${n}: ${e.path} is ${JSON.stringify(got.value)}, expected ${v}`,
          expected: `${e.path} = ${v}`,
          got: `${e.path} = ${JSON.stringify(got.value)}`,
        };
    }
  }
  return undefined;
}

async function untilConnected<T>(
  target: ProbeTarget,
  opts: ProbeRunOptions,
  attempt: (timeoutMs: number, signal?: AbortSignal) => Promise<T>,
): Promise<{ value?: T; attempts: number; lastError?: string }> {
  const pollMs = opts.pollMs ?? 20;
  let attempts = 0;
  let lastError: string | undefined;
  const signals = [opts.signal, target.stopped].filter((x): x is AbortSignal => x !== undefined);
  const cut = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  for (;;) {
    throwIfAborted(opts.signal);
    const gone = target.exited();
    if (gone) return { attempts, lastError: gone };
    const left = opts.deadline - Date.now();
    if (left <= 0) return { attempts, lastError: `timed out${lastError ? ` (last: ${lastError})` : ""}` };
    attempts++;
    try {
      return {
        value: await attempt(
          Math.max(1, Math.min(opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, left)),
          cut,
        ),
        attempts,
      };
    } catch (e) {
      if (!(e instanceof ConnectError)) throw e;
      lastError = e.message;
    }
    await sleep(Math.min(pollMs, Math.max(0, opts.deadline - Date.now())), opts.signal);
  }
}

/** The request a probe sends (headers and body included). */
function requestOf(p: HttpProbe, timeoutMs: number, signal?: AbortSignal): HttpRequestSpec {
  return {
    path: p.path,
    method: p.method ?? "GET",
    ...(p.headers ? { headers: p.headers } : {}),
    ...(p.body !== undefined ? { body: p.body } : {}),
    timeoutMs,
    signal,
  };
}

async function runHttp(
  p: HttpProbe,
  target: ProbeTarget,
  opts: ProbeRunOptions,
): Promise<Omit<ProbeResult, "durationMs">> {
  const count = Math.max(p.repeat ?? 1, p.expectSequence?.length ?? 1);
  const perRequest = p.requestTimeoutMs ?? opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  let notHttp = false;
  // Only the first request waits for the app to come up; the rest must answer at once.
  const first = await untilConnected(target, { ...opts, requestTimeoutMs: perRequest }, async (t, sig) => {
    try {
      return await httpRequest(target.host, portAt(target, p.port), requestOf(p, t, sig));
    } catch (e) {
      if (e instanceof ConnectError && e.notHttp && p.fallbackToTcp) {
        // The port is open but speaks something else: stop polling, fall back to TCP below.
        notHttp = true;
        return undefined;
      }
      throw e;
    }
  });
  if (notHttp) {
    return {
      probe: p,
      ok: true,
      tcpOnly: true,
      detail: `port ${p.port} accepts connections but does not answer HTTP: verified by TCP only`,
      attempts: first.attempts,
    };
  }
  if (!first.value)
    return {
      probe: p,
      ok: false,
      detail: `no HTTP answer on :${p.port}: ${first.lastError}`,
      expected: `an HTTP answer from :${p.port}${p.path}`,
      got: first.lastError ?? "nothing",
      attempts: first.attempts,
    };
  const bodies: string[] = [];
  let answer = first.value;
  for (let n = 1; n <= count; n++) {
    if (n > 1) {
      try {
        answer = await httpRequest(
          target.host,
          portAt(target, p.port),
          requestOf(p, perRequest, opts.signal),
        );
      } catch (e) {
        if (!(e instanceof ConnectError)) throw e;
        return {
          probe: p,
          ok: false,
          detail: `request ${n}: ${e.message}`,
          expected: `an HTTP answer to request ${n}`,
          got: e.message,
          attempts: first.attempts,
        };
      }
    }
    const problem = checkHttpAnswer(p, answer, n);
    if (problem)
      return {
        probe: p,
        ok: false,
        detail: problem.detail,
        expected: problem.expected,
        got: problem.got,
        attempts: first.attempts,
      };
    bodies.push(answer.body.trim());
  }
  const seen = count > 1 ? `, bodies ${bodies.map(quote).join(" | ")}` : `, body ${quote(bodies[0] ?? "")}`;
  return { probe: p, ok: true, detail: `${answer.status}${seen}`, attempts: first.attempts };
}

async function runTcp(
  p: TcpProbe,
  target: ProbeTarget,
  opts: ProbeRunOptions,
): Promise<Omit<ProbeResult, "durationMs">> {
  const r = await untilConnected(target, opts, (t, sig) =>
    tcpOnce(target.host, portAt(target, p.port), t, sig),
  );
  if (r.attempts > 0 && r.lastError === undefined)
    return {
      probe: p,
      ok: true,
      tcpOnly: true,
      detail: `port ${p.port} accepts connections`,
      attempts: r.attempts,
    };
  return {
    probe: p,
    ok: false,
    detail: `port ${p.port} does not accept connections: ${r.lastError}`,
    expected: `port ${p.port} accepting connections`,
    got: r.lastError ?? "nothing",
    attempts: r.attempts,
  };
}

/** Splits a command on spaces, honouring simple quotes, for images without a shell. */
export function splitCommand(cmd: string): string[] {
  // Hand-written: only quotes and backslashes matter here; a shell parser would be heavier than the job.
  const out: string[] = [];
  let cur = "";
  let q: '"' | "'" | undefined;
  let has = false;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i] as string;
    if (q) {
      if (c === q) q = undefined;
      else if (c === "\\" && q === '"' && i + 1 < cmd.length) cur += cmd[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      q = c;
      has = true;
    } else if (c === "\\" && i + 1 < cmd.length) {
      cur += cmd[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = "";
      has = false;
    } else cur += c;
  }
  if (has || cur) out.push(cur);
  return out;
}

async function runCmd(
  p: CmdProbe,
  target: ProbeTarget,
  opts: ProbeRunOptions,
): Promise<Omit<ProbeResult, "durationMs">> {
  const gone = target.exited();
  if (gone) return { probe: p, ok: false, detail: gone, attempts: 0 };
  const timeout = Math.max(1000, opts.deadline - Date.now());
  let r = await target.exec(["/bin/sh", "-c", p.command], timeout);
  if (
    (r.exitCode === 126 || r.exitCode === 127) &&
    /executable file not found|no such file/i.test(r.output)
  ) {
    // No shell in the image (distroless, minified): run the words directly.
    r = await target.exec(splitCommand(p.command), timeout);
  }
  const want = p.expectExitCode ?? 0;
  const out = r.output.trim();
  if (r.exitCode !== want)
    return {
      probe: p,
      ok: false,
      detail: `exit code ${r.exitCode}, expected ${want}; output ${quote(out)}`,
      expected: `exit code ${want}`,
      got: `exit code ${r.exitCode}, output ${quote(out)}`,
      attempts: 1,
    };
  if (p.expectOutput !== undefined && !r.output.includes(p.expectOutput)) {
    return {
      probe: p,
      ok: false,
      detail: `output ${quote(out)} does not contain ${quote(p.expectOutput)}`,
      expected: `output containing ${quote(p.expectOutput)}`,
      got: `output ${quote(out)}`,
      attempts: 1,
    };
  }
  return {
    probe: p,
    ok: true,
    detail: `exit code ${r.exitCode}${out ? `, output ${quote(out)}` : ""}`,
    attempts: 1,
  };
}

/** Runs one probe; a failing check is a result with ok=false, never a throw (interrupts and engine trouble throw). */
export async function runProbe(p: Probe, target: ProbeTarget, opts: ProbeRunOptions): Promise<ProbeResult> {
  const t0 = Date.now();
  const r =
    p.kind === "http"
      ? await runHttp(p, target, opts)
      : p.kind === "tcp"
        ? await runTcp(p, target, opts)
        : await runCmd(p, target, opts);
  return { ...r, durationMs: Date.now() - t0 };
}

export { describeProbe };
