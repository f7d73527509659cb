import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { InterruptedError } from "../errors.js";
import { checkHttpAnswer, jsonAt, type ProbeTarget, runProbe, splitCommand } from "./probes.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A hit counter on loopback, like the labs' Flask + Redis app. */
function counter(port = 0, opts: { hang?: boolean } = {}): Promise<number> {
  let hits = 0;
  const s = createServer((req, res) => {
    if (opts.hang) return; // accepts, never answers
    hits++;
    if (req.url === "/json") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ hits, data: [{ ok: true }] }));
    } else res.end(`Hello World! I have been seen ${hits} times.\n`);
  });
  servers.push(s);
  return new Promise((r) => s.listen(port, "127.0.0.1", () => r((s.address() as AddressInfo).port)));
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

const target = (exited: () => string | undefined = () => undefined): ProbeTarget => ({
  host: "127.0.0.1",
  exited,
  exec: async () => ({ exitCode: 0, output: "" }),
});

describe("http probes against a real server", () => {
  it("counts 1, 2, 3 with a repeated request", async () => {
    const port = await counter();
    const r = await runProbe(
      { kind: "http", port, path: "/", expectStatus: 200, expectBody: "seen {n} times", repeat: 3 },
      target(),
      { deadline: Date.now() + 5000 },
    );
    expect(r.ok).toBe(true);
    expect(r.detail).toContain("seen 3 times");
  });

  it("fails when the counter does not count as expected", async () => {
    const port = await counter();
    const r = await runProbe(
      { kind: "http", port, path: "/", expectSequence: ["seen 1 ", "seen 1 ", "seen 3 "] },
      target(),
      { deadline: Date.now() + 5000 },
    );
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/request 2: body .*seen 2 times.* does not contain "seen 1 "/);
  });

  it("checks JSON fields per request", async () => {
    const port = await counter();
    const ok = await runProbe(
      {
        kind: "http",
        port,
        path: "/json",
        expectJson: [
          { path: "hits", value: "{n}" },
          { path: "data.0.ok", value: "true" },
        ],
        repeat: 2,
      },
      target(),
      { deadline: Date.now() + 5000 },
    );
    expect(ok.ok).toBe(true);
    const bad = await runProbe(
      { kind: "http", port, path: "/json", expectJson: [{ path: "hits", value: "1" }] },
      target(),
      {
        deadline: Date.now() + 5000,
      },
    );
    expect(bad.detail).toBe("request 1: hits is 3, expected 1");
  });

  it("keeps trying until the server comes up", async () => {
    const port = await freePort();
    setTimeout(() => void counter(port), 400);
    const r = await runProbe({ kind: "http", port, path: "/" }, target(), { deadline: Date.now() + 5000 });
    expect(r.ok).toBe(true);
    expect(r.attempts).toBeGreaterThan(1);
    expect(r.durationMs).toBeGreaterThanOrEqual(350);
  });

  it("times out on a server that never answers, and on a closed port", async () => {
    const hang = await counter(0, { hang: true });
    const r = await runProbe({ kind: "http", port: hang, path: "/" }, target(), {
      deadline: Date.now() + 800,
      requestTimeoutMs: 300,
    });
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/timed out/);
    const closed = await freePort();
    const t = await runProbe({ kind: "tcp", port: closed }, target(), { deadline: Date.now() + 300 });
    expect(t.ok).toBe(false);
    expect(t.detail).toMatch(/timed out \(last: ECONNREFUSED\)/);
  });

  it("stops at once when the container has exited, and on interrupt", async () => {
    const closed = await freePort();
    const t0 = Date.now();
    const r = await runProbe(
      { kind: "http", port: closed, path: "/" },
      target(() => "the container exited with code 1"),
      {
        deadline: Date.now() + 10_000,
      },
    );
    expect(r.detail).toMatch(/exited with code 1/);
    expect(Date.now() - t0).toBeLessThan(1000);
    const ac = new AbortController();
    setTimeout(() => ac.abort("SIGINT"), 100);
    await expect(
      runProbe({ kind: "tcp", port: closed }, target(), { deadline: Date.now() + 10_000, signal: ac.signal }),
    ).rejects.toBeInstanceOf(InterruptedError);
  });
});

describe("pure helpers", () => {
  it("checks answers", () => {
    expect(
      checkHttpAnswer({ kind: "http", port: 1, path: "/" }, { status: 302, body: "" }, 1),
    ).toBeUndefined();
    expect(checkHttpAnswer({ kind: "http", port: 1, path: "/" }, { status: 500, body: "" }, 1)).toBe(
      "status 500, expected < 400",
    );
    expect(
      checkHttpAnswer({ kind: "http", port: 1, path: "/", expectStatus: 404 }, { status: 404, body: "" }, 1),
    ).toBeUndefined();
    expect(
      checkHttpAnswer(
        { kind: "http", port: 1, path: "/", expectJson: [{ path: "a", value: "1" }] },
        { status: 200, body: "<html>" },
        1,
      ),
    ).toMatch(/not JSON/);
  });

  it("reads JSON paths and splits commands", () => {
    expect(jsonAt({ a: [{ b: 2 }] }, "a.0.b")).toEqual({ found: true, value: 2 });
    expect(jsonAt({ a: 1 }, "b")).toEqual({ found: false });
    expect(splitCommand(`python -c "import sys; print('hi there')" 'a b' c\\ d ""`)).toEqual([
      "python",
      "-c",
      "import sys; print('hi there')",
      "a b",
      "c d",
      "",
    ]);
  });
});
