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

interface HttpAnswer {
  status: number;
  body: string;
}

class ConnectError extends Error {}

/** The port to connect to at the target's host for the container's `port`. */
export function portAt(target: { ports?: ReadonlyMap<number, number> }, port: number): number {
  return target.ports?.get(port) ?? port;
}

/** One HTTP request; connection problems reject with ConnectError. */
export function httpOnce(
  host: string,
  port: number,
  path: string,
  method: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<HttpAnswer> {
  let off = () => {};
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = request({ host, port, path, method, agent: false, timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        if (body.length < 1_000_000) body += d;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", (e) => reject(new ConnectError(e.message)));
    });
    req.on("timeout", () => req.destroy(new ConnectError(`no answer within ${timeoutMs} ms`)));
    req.on("error", (e: NodeJS.ErrnoException) => reject(new ConnectError(e.code ?? e.message)));
    off = cutOn(signal, () => req.destroy(new ConnectError("cut short")));
    req.end();
  }).finally(() => off());
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

/** Checks one HTTP answer against the probe; returns the problem, or undefined. */
export function checkHttpAnswer(p: HttpProbe, a: HttpAnswer, n: number): string | undefined {
  if (p.expectStatus !== undefined ? a.status !== p.expectStatus : a.status >= 400) {
    return `status ${a.status}, expected ${p.expectStatus ?? "< 400"}`;
  }
  const want = p.expectSequence?.[n - 1];
  if (want !== undefined && !a.body.includes(want))
    return `request ${n}: body ${quote(a.body.trim())} does not contain ${quote(want)}`;
  if (p.expectBody !== undefined) {
    const text = fill(p.expectBody, n);
    if (!a.body.includes(text))
      return `request ${n}: body ${quote(a.body.trim())} does not contain ${quote(text)}`;
  }
  if (p.expectJson && p.expectJson.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(a.body);
    } catch {
      return `request ${n}: body is not JSON: ${quote(a.body.trim())}`;
    }
    for (const e of p.expectJson) {
      const got = jsonAt(parsed, e.path);
      const v = fill(e.value, n);
      if (!got.found) return `request ${n}: JSON has no field ${e.path}`;
      if (!sameValue(got.value, v))
        return `request ${n}: ${e.path} is ${JSON.stringify(got.value)}, expected ${v}`;
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
        value: await attempt(Math.max(1, Math.min(opts.requestTimeoutMs ?? 5000, left)), cut),
        attempts,
      };
    } catch (e) {
      if (!(e instanceof ConnectError)) throw e;
      lastError = e.message;
    }
    await sleep(Math.min(pollMs, Math.max(0, opts.deadline - Date.now())), opts.signal);
  }
}

async function runHttp(
  p: HttpProbe,
  target: ProbeTarget,
  opts: ProbeRunOptions,
): Promise<Omit<ProbeResult, "durationMs">> {
  const count = Math.max(p.repeat ?? 1, p.expectSequence?.length ?? 1);
  const method = p.method ?? "GET";
  // Only the first request waits for the app to come up; the rest must answer at once.
  const first = await untilConnected(target, opts, (t, sig) =>
    httpOnce(target.host, portAt(target, p.port), p.path, method, t, sig),
  );
  if (!first.value)
    return {
      probe: p,
      ok: false,
      detail: `no HTTP answer on :${p.port}: ${first.lastError}`,
      attempts: first.attempts,
    };
  const bodies: string[] = [];
  let answer = first.value;
  for (let n = 1; n <= count; n++) {
    if (n > 1) {
      try {
        answer = await httpOnce(
          target.host,
          portAt(target, p.port),
          p.path,
          method,
          opts.requestTimeoutMs ?? 5000,
        );
      } catch (e) {
        return {
          probe: p,
          ok: false,
          detail: `request ${n}: ${(e as Error).message}`,
          attempts: first.attempts,
        };
      }
    }
    const problem = checkHttpAnswer(p, answer, n);
    if (problem) return { probe: p, ok: false, detail: problem, attempts: first.attempts };
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
    return { probe: p, ok: true, detail: `port ${p.port} accepts connections`, attempts: r.attempts };
  return {
    probe: p,
    ok: false,
    detail: `port ${p.port} does not accept connections: ${r.lastError}`,
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
      attempts: 1,
    };
  if (p.expectOutput !== undefined && !r.output.includes(p.expectOutput)) {
    return {
      probe: p,
      ok: false,
      detail: `output ${quote(out)} does not contain ${quote(p.expectOutput)}`,
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
