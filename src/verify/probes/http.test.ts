import { createServer, type Server } from "node:http";
import { type AddressInfo, createServer as createNetServer, type Server as NetServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { InterruptedError } from "../../errors.js";
import { checkHttpAnswer, jsonAt } from "./http.js";
import { type ProbeTarget, runProbe } from "./index.js";

const servers: Server[] = [];
const netServers: NetServer[] = [];
afterEach(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(
    [...servers.splice(0), ...netServers.splice(0)].map((s) => new Promise((r) => s.close(r))),
  );
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

describe("default probe and request features", () => {
  it("falls back to TCP on a port that answers but not with HTTP, and says so", async () => {
    // A Redis-like server: it answers every line with a protocol error.
    const srv = createNetServer((sock) => {
      // The probe drops the connection once it sees the answer is not HTTP: unread bytes make
      // that a reset here (ECONNRESET), which is this server's to ignore, not an uncaught error.
      sock.on("error", () => {});
      sock.on("data", () => sock.end("-ERR unknown command\r\n"));
    });
    netServers.push(srv);
    const port = await new Promise<number>((r) =>
      srv.listen(0, "127.0.0.1", () => r((srv.address() as AddressInfo).port)),
    );
    const auto = await runProbe({ kind: "http", port, path: "/", fallbackToTcp: true }, target(), {
      deadline: Date.now() + 5000,
    });
    expect(auto.ok).toBe(true);
    expect(auto.tcpOnly).toBe(true);
    expect(auto.detail).toMatch(/verified by TCP only/);
    // An explicit HTTP probe does not fall back.
    const strict = await runProbe({ kind: "http", port, path: "/" }, target(), {
      deadline: Date.now() + 1500,
    });
    expect(strict.ok).toBe(false);
    expect(strict.got).toMatch(/not an HTTP answer/);
  });

  it("sends method, headers and body, and checks the content type", async () => {
    const s = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        res.setHeader("content-type", "application/json");
        res.end(
          JSON.stringify({
            method: req.method,
            type: req.headers["content-type"],
            token: req.headers["x-token"],
            body,
          }),
        );
      });
    });
    servers.push(s);
    const port = await new Promise<number>((r) =>
      s.listen(0, "127.0.0.1", () => r((s.address() as AddressInfo).port)),
    );
    const r = await runProbe(
      {
        kind: "http",
        port,
        path: "/notes",
        method: "POST",
        headers: { "content-type": "application/json", "x-token": "t1" },
        body: '{"text":"hi"}',
        expectContentType: "application/json",
        expectJson: [
          { path: "method", value: "POST" },
          { path: "token", value: "t1" },
          { path: "body", value: '{"text":"hi"}' },
        ],
      },
      target(),
      { deadline: Date.now() + 5000 },
    );
    expect(r.detail).toMatch(/^200/);
    expect(r.ok).toBe(true);
    const wrongType = await runProbe(
      { kind: "http", port, path: "/", expectContentType: "text/css" },
      target(),
      { deadline: Date.now() + 5000 },
    );
    expect(wrongType.ok).toBe(false);
    expect(wrongType.expected).toBe("content type text/css");
    expect(wrongType.got).toBe("content type application/json");
  });

  it("gives a slow route its own request timeout", async () => {
    const s = createServer((_req, res) => {
      setTimeout(() => res.end("finally"), 700);
    });
    servers.push(s);
    const port = await new Promise<number>((r) =>
      s.listen(0, "127.0.0.1", () => r((s.address() as AddressInfo).port)),
    );
    const short = await runProbe({ kind: "http", port, path: "/", requestTimeoutMs: 300 }, target(), {
      deadline: Date.now() + 1000,
    });
    expect(short.ok).toBe(false);
    expect(short.detail).toMatch(/timed out \(last: no answer within \d+ ms\)/);
    const long = await runProbe({ kind: "http", port, path: "/", requestTimeoutMs: 3000 }, target(), {
      deadline: Date.now() + 5000,
    });
    expect(long.ok).toBe(true);
  });
});

describe("pure helpers", () => {
  it("checks answers", () => {
    expect(
      checkHttpAnswer({ kind: "http", port: 1, path: "/" }, { status: 302, body: "" }, 1),
    ).toBeUndefined();
    expect(checkHttpAnswer({ kind: "http", port: 1, path: "/" }, { status: 500, body: "oops" }, 1)).toEqual({
      detail: "status 500, expected < 400",
      expected: "status < 400",
      got: 'status 500: "oops"',
    });
    // The default probe accepts any answer below 500 (a 404 at / is still the app answering).
    expect(
      checkHttpAnswer(
        { kind: "http", port: 1, path: "/", fallbackToTcp: true },
        { status: 404, body: "" },
        1,
      ),
    ).toBeUndefined();
    // ... but not 400: the app turned the probe away (Django's DisallowedHost page).
    expect(
      checkHttpAnswer(
        { kind: "http", port: 1, path: "/", fallbackToTcp: true },
        { status: 400, body: "<h1>Bad Request (400)</h1>" },
        1,
      )?.detail,
    ).toMatch(/^status 400 to a plain GET \/: the app refused the request \(for Django, ALLOWED_HOSTS/);
    expect(
      checkHttpAnswer(
        { kind: "http", port: 1, path: "/", expectContentType: "text/css" },
        { status: 200, body: "<html>", contentType: "text/html; charset=utf-8" },
        1,
      )?.got,
    ).toBe("content type text/html; charset=utf-8");
    expect(
      checkHttpAnswer({ kind: "http", port: 1, path: "/", expectStatus: 404 }, { status: 404, body: "" }, 1),
    ).toBeUndefined();
    expect(
      checkHttpAnswer(
        { kind: "http", port: 1, path: "/", expectJson: [{ path: "a", value: "1" }] },
        { status: 200, body: "<html>" },
        1,
      )?.detail,
    ).toMatch(/not JSON/);
  });

  it("reads JSON paths", () => {
    expect(jsonAt({ a: [{ b: 2 }] }, "a.0.b")).toEqual({ found: true, value: 2 });
    expect(jsonAt({ a: 1 }, "b")).toEqual({ found: false });
  });
});
