/** The tcp probe kind: the app's port accepts a connection. */
import { connect } from "node:net";
import type { ProbeResult, TcpProbe } from "../types.js";
import {
  ConnectError,
  cutOn,
  type ProbeKind,
  type ProbeRunOptions,
  type ProbeTarget,
  portAt,
  untilConnected,
} from "./kind.js";

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

export const tcpProbe: ProbeKind<TcpProbe> = { kind: "tcp", run: runTcp };
