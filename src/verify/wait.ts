import type { EngineConnection } from "../engine/connect.js";
import { containerState, followLogs } from "../engine/containers.js";
import { VerifyError } from "../errors.js";
import { portAt } from "./probes/kind.js";
import { tcpOnce } from "./probes/tcp.js";
import { sleep, throwIfAborted } from "./sleep.js";
import type { WaitSpec } from "./types.js";

/** What a wait strategy may look at. */
export interface WaitContext {
  engine: EngineConnection;
  containerId: string;
  /** Where the container's ports answer (its address, or the engine's host for published ports). */
  host: string;
  /** Container port -> port at `host`; absent or unmapped: the same port. */
  ports?: ReadonlyMap<number, number>;
  /** Epoch ms. */
  deadline: number;
  signal?: AbortSignal;
  /** Why the container stopped, once it has. */
  exited(): string | undefined;
}

/**
 * A small composable wait: resolves when its condition holds, throws
 * VerifyError when it cannot hold any more (timeout, container gone).
 */
export interface WaitStrategy {
  readonly description: string;
  wait(ctx: WaitContext): Promise<void>;
}

const POLL_MS = 50;

function gone(ctx: WaitContext, what: string): VerifyError | undefined {
  const why = ctx.exited();
  return why ? new VerifyError(`${why} while waiting for ${what}`) : undefined;
}

function timedOut(what: string): VerifyError {
  return new VerifyError(`timed out waiting for ${what}`);
}

/** A TCP port on the container accepts connections. */
export function portOpen(port: number): WaitStrategy {
  const description = `port ${port} to accept connections`;
  return {
    description,
    async wait(ctx) {
      for (;;) {
        throwIfAborted(ctx.signal);
        const g = gone(ctx, description);
        if (g) throw g;
        const left = ctx.deadline - Date.now();
        if (left <= 0) throw timedOut(description);
        try {
          await tcpOnce(ctx.host, portAt(ctx, port), Math.min(1000, left));
          return;
        } catch {
          await sleep(POLL_MS, ctx.signal);
        }
      }
    },
  };
}

/** A line of the container's output matches `pattern` (a regular expression). */
export function logLine(pattern: string | RegExp): WaitStrategy {
  const re = typeof pattern === "string" ? new RegExp(pattern) : pattern;
  const description = `a log line matching /${re.source}/`;
  return {
    description,
    async wait(ctx) {
      const stop = new AbortController();
      const onAbort = () => stop.abort();
      ctx.signal?.addEventListener("abort", onAbort, { once: true });
      let matched = false;
      const timer = setTimeout(() => stop.abort(), Math.max(0, ctx.deadline - Date.now()));
      try {
        await followLogs(
          ctx.engine,
          ctx.containerId,
          (line) => {
            if (!matched && re.test(line)) {
              matched = true;
              stop.abort();
            }
          },
          stop.signal,
        );
      } finally {
        clearTimeout(timer);
        ctx.signal?.removeEventListener("abort", onAbort);
      }
      throwIfAborted(ctx.signal);
      if (matched) return;
      throw (
        gone(ctx, description) ??
        (Date.now() >= ctx.deadline
          ? timedOut(description)
          : new VerifyError(`the container's output ended without ${description}`))
      );
    },
  };
}

/** The container's healthcheck reports healthy (fails fast on unhealthy). */
export function healthy(what = "the container"): WaitStrategy {
  const description = `${what} to become healthy`;
  return {
    description,
    async wait(ctx) {
      for (;;) {
        throwIfAborted(ctx.signal);
        const s = await containerState(ctx.engine, ctx.containerId);
        if (s.health === "healthy") return;
        if (!s.running)
          throw new VerifyError(
            `${what} exited with code ${s.exitCode} while waiting for it to become healthy`,
          );
        if (s.health === undefined) throw new VerifyError(`${what} has no healthcheck to wait for`);
        if (s.health === "unhealthy") {
          throw new VerifyError(
            `${what} is unhealthy${s.healthLog ? `: healthcheck said ${JSON.stringify(s.healthLog.slice(0, 200))}` : ""}`,
          );
        }
        if (Date.now() >= ctx.deadline) throw timedOut(`${description} (still ${s.health})`);
        await sleep(200, ctx.signal);
      }
    },
  };
}

/** The container is running (for sidecars without a health condition). */
export function running(what = "the container"): WaitStrategy {
  const description = `${what} to be running`;
  return {
    description,
    async wait(ctx) {
      const s = await containerState(ctx.engine, ctx.containerId);
      if (!s.running) throw new VerifyError(`${what} exited with code ${s.exitCode} right after starting`);
    },
  };
}

/** The container ran to completion with exit code 0 (compose's service_completed_successfully). */
export function completedSuccessfully(what = "the container"): WaitStrategy {
  const description = `${what} to complete`;
  return {
    description,
    async wait(ctx) {
      for (;;) {
        throwIfAborted(ctx.signal);
        const s = await containerState(ctx.engine, ctx.containerId);
        if (!s.running) {
          if (s.exitCode === 0) return;
          throw new VerifyError(`${what} exited with code ${s.exitCode}`);
        }
        if (Date.now() >= ctx.deadline) throw timedOut(description);
        await sleep(200, ctx.signal);
      }
    },
  };
}

/** All strategies, in order. */
export function allOf(...strategies: WaitStrategy[]): WaitStrategy {
  return {
    description: strategies.map((s) => s.description).join(", then "),
    async wait(ctx) {
      for (const s of strategies) await s.wait(ctx);
    },
  };
}

export function waitFromSpec(spec: WaitSpec): WaitStrategy {
  switch (spec.kind) {
    case "port":
      return portOpen(spec.port);
    case "log":
      return logLine(spec.pattern);
    case "healthy":
      return healthy();
  }
}
