import { type AddressInfo, createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type ProbeTarget, runProbe } from "./index.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function listen(): Promise<number> {
  // The probe closes at once: a reset on this side is expected, not an uncaught error.
  const s = createServer((sock) => sock.on("error", () => {}).end());
  servers.push(s);
  return new Promise((r) => s.listen(0, "127.0.0.1", () => r((s.address() as AddressInfo).port)));
}

const target = (ports?: ReadonlyMap<number, number>): ProbeTarget => ({
  host: "127.0.0.1",
  ...(ports ? { ports } : {}),
  exited: () => undefined,
  exec: async () => ({ exitCode: 0, output: "" }),
});

describe("tcp probes", () => {
  it("passes when the port accepts a connection, reached through its published port", async () => {
    const port = await listen();
    const r = await runProbe({ kind: "tcp", port: 6379 }, target(new Map([[6379, port]])), {
      deadline: Date.now() + 5_000,
    });
    expect(r).toMatchObject({ ok: true, tcpOnly: true, detail: "port 6379 accepts connections" });
  });

  it("fails on a closed port once the deadline passes, saying what it last saw", async () => {
    const port = await listen();
    await new Promise((r) => servers.splice(0)[0]?.close(r));
    const r = await runProbe({ kind: "tcp", port }, target(), { deadline: Date.now() + 200 });
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/does not accept connections: timed out \(last: ECONNREFUSED\)/);
    expect(r.attempts).toBeGreaterThan(0);
  });
});
