/**
 * What a probe kind is, and what every kind shares: the target it reaches, the
 * run options, waiting for the app to come up. One module per kind (http.ts,
 * tcp.ts, cmd.ts) implements ProbeKind; index.ts is the registry.
 */
import type { ExecResult } from "../../engine/containers.js";
import { sleep, throwIfAborted } from "../sleep.js";
import type { Probe, ProbeResult } from "../types.js";

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

/** One probe kind: runs its probes against a started container. */
export interface ProbeKind<P extends Probe = Probe> {
  readonly kind: P["kind"];
  /** A failed check is a result with ok=false, never a throw (interrupts and engine trouble throw). */
  run(p: P, target: ProbeTarget, opts: ProbeRunOptions): Promise<Omit<ProbeResult, "durationMs">>;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

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

/** Runs `cut` when the signal fires; returns the undo (listeners must not pile up over attempts). */
export function cutOn(signal: AbortSignal | undefined, cut: () => void): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    cut();
    return () => {};
  }
  signal.addEventListener("abort", cut, { once: true });
  return () => signal.removeEventListener("abort", cut);
}

/** A value quoted for a probe's detail, cut to 80 characters. */
export const quote = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);

/** Retries `attempt` until it connects, the deadline passes, the container exits or the signal fires. */
export async function untilConnected<T>(
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
