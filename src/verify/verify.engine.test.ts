import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildImage } from "../engine/build/build.js";
import { countByLabel } from "../engine/cleanup.js";
import { connectEngine } from "../engine/connect.js";
import { EngineError, InputError, InterruptedError } from "../errors.js";
import {
  FLASK_DIR,
  flaskCounterImage,
  leftovers,
  removeTestResources,
  TEST_LABELS,
} from "./testdata/fixtures.js";
import type { VerifyOptions, VerifyResult } from "./types.js";
import { verifyImage } from "./verify.js";

let image: string;
let tmp: string;

beforeAll(async () => {
  image = await flaskCounterImage();
  tmp = await mkdtemp(join(tmpdir(), "slimstage-verify-test-"));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
  await removeTestResources();
});

/** Runs one case and checks that it left no container or network behind. */
async function clean<T>(run: () => Promise<T>): Promise<T> {
  const before = await leftovers();
  try {
    return await run();
  } finally {
    expect(await leftovers()).toEqual(before);
  }
}

const verify = (o: Omit<VerifyOptions, "labels" | "image"> & { image?: string }): Promise<VerifyResult> =>
  clean(() => verifyImage({ image, labels: { ...TEST_LABELS }, timeoutMs: 30_000, ...o }));

describe("verifyImage on the real engine", () => {
  it("verifies a Flask hello image over HTTP and measures start-up and memory", async () => {
    const r = await verify({
      probes: [
        { kind: "http", port: 5000, path: "/", expectStatus: 200, expectBody: "Hello from Python!" },
        { kind: "http", port: 5000, path: "/json", expectJson: [{ path: "ok", value: "true" }] },
        { kind: "tcp", port: 5000 },
        { kind: "cmd", command: "python -c 'import flask; print(flask.__name__)'", expectOutput: "flask" },
      ],
    });
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.probes.map((p) => p.ok)).toEqual([true, true, true, true]);
    expect(r.startupMs).toBeGreaterThan(50);
    expect(r.startupMs).toBeLessThan(30_000);
    // A Python + Flask process takes more than a few MB.
    expect(r.peakMemoryBytes).toBeGreaterThan(5_000_000);
    expect(r.logs).toBeUndefined();
  });

  it("counts 1, 2, 3 with a Redis sidecar from a compose file", async () => {
    const r = await verify({
      compose: { file: join(FLASK_DIR, "docker-compose.yml"), service: "web" },
      probes: [
        { kind: "http", port: 5000, path: "/hits", expectBody: "I have been seen {n} times.", repeat: 3 },
      ],
    });
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.probes[0]?.detail).toMatch(/seen 1 times.*seen 2 times.*seen 3 times/);
    expect(r.sidecars.map((s) => [s.service, s.image])).toEqual([["cache", "redis:7"]]);
  });

  it("gives the app and its sidecar the compose file's secrets at /run/secrets (and at a target), before they start", async () => {
    const dir = join(tmp, "secrets");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "db-password.txt"), "s3cret-from-file");
    // The app reads its secrets once, at start, as database clients do.
    await writeFile(
      join(dir, "serve.py"),
      [
        "import http.server",
        "BODY = open('/run/secrets/db-password', 'rb').read() + b' ' + open('/etc/app/token', 'rb').read()",
        "class H(http.server.BaseHTTPRequestHandler):",
        "    def do_GET(self):",
        "        self.send_response(200)",
        "        self.end_headers()",
        "        self.wfile.write(BODY)",
        "http.server.HTTPServer(('', 5000), H).serve_forever()",
        "",
      ].join("\n"),
    );
    await writeFile(
      join(dir, "Dockerfile"),
      `FROM ${image}\nCOPY serve.py /srv/serve.py\nCMD ["python", "/srv/serve.py"]\n`,
    );
    const tag = "slimstage-test/secrets-app:build-verify";
    await buildImage({ context: dir, tags: [tag], labels: { ...TEST_LABELS } });
    await writeFile(
      join(dir, "compose.yml"),
      [
        "services:",
        "  web:",
        `    image: ${tag}`,
        "    secrets: [db-password, {source: token, target: /etc/app/token}]",
        "    depends_on: {db: {condition: service_healthy}}",
        "  db:",
        `    image: ${tag}`,
        "    command: [sleep, '300']",
        "    secrets: [db-password]",
        "    healthcheck: {test: [CMD-SHELL, 'grep -q s3cret-from-file /run/secrets/db-password'], interval: 200ms, retries: 30}",
        "secrets:",
        "  db-password: {file: ./db-password.txt}",
        "  token: {environment: SLIMSTAGE_TEST_TOKEN}",
        "",
      ].join("\n"),
    );
    process.env.SLIMSTAGE_TEST_TOKEN = "t0ken-from-env";
    try {
      const r = await verify({
        image: tag,
        compose: { file: join(dir, "compose.yml"), service: "web" },
        probes: [{ kind: "http", port: 5000, path: "/", expectBody: "s3cret-from-file t0ken-from-env" }],
      });
      expect(r.error).toBeUndefined();
      expect(r.ok).toBe(true);
      expect(r.sidecars.map((x) => x.service)).toEqual(["db"]);
    } finally {
      delete process.env.SLIMSTAGE_TEST_TOKEN;
    }
  });

  it("builds a sidecar from its compose build section and removes that image afterwards", async () => {
    const dir = join(tmp, "built-sidecar");
    await mkdir(join(dir, "cache"), { recursive: true });
    await writeFile(join(dir, "cache", "Dockerfile"), "FROM redis:7\nENV SLIMSTAGE_TEST_SIDECAR=1\n");
    await writeFile(
      join(dir, "compose.yml"),
      [
        "services:",
        "  web:",
        "    image: unused",
        "    environment: [REDIS_HOST=cache]",
        "    depends_on: {cache: {condition: service_healthy}}",
        "  cache:",
        "    build: ./cache",
        "    healthcheck: {test: [CMD, redis-cli, ping], interval: 200ms, retries: 30}",
        "",
      ].join("\n"),
    );
    const engine = await connectEngine();
    const images = async () => (await countByLabel(engine, TEST_LABELS)).images;
    const before = await images();
    const r = await verify({
      compose: { file: join(dir, "compose.yml"), service: "web" },
      probes: [{ kind: "http", port: 5000, path: "/hits", expectBody: "seen {n} times", repeat: 2 }],
    });
    expect(r.error).toBeUndefined();
    expect(r.sidecars[0]?.image).toMatch(/^slimstage-verify-[0-9a-f]{8}-cache:latest$/);
    expect(await images()).toBe(before);
  });

  it("does not wait for the image's health interval when probes are given (start-up stays the app's)", async () => {
    const dir = join(tmp, "slow-health");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "Dockerfile"), `FROM ${image}\nHEALTHCHECK --interval=60s CMD true\n`);
    const tag = "slimstage-test/slow-health:build-verify";
    await buildImage({ context: dir, tags: [tag], labels: { ...TEST_LABELS } });
    const r = await verify({
      image: tag,
      probes: [{ kind: "http", port: 5000, path: "/", expectBody: "Hello from Python!" }],
    });
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    // Waiting for the first health check would take the full 60 s interval (and time out at 30 s).
    expect(r.startupMs).toBeLessThan(20_000);
  });

  it("with runHealthcheck, runs the image's HEALTHCHECK once after the probes: exit 0 passes, any other fails with its output", async () => {
    const dir = join(tmp, "run-healthcheck");
    await mkdir(dir, { recursive: true });
    const build = async (name: string, check: string) => {
      await writeFile(join(dir, "Dockerfile"), `FROM ${image}\nHEALTHCHECK --interval=60s CMD ${check}\n`);
      const tag = `slimstage-test/${name}:build-verify`;
      await buildImage({ context: dir, tags: [tag], labels: { ...TEST_LABELS } });
      return tag;
    };
    const probes = [{ kind: "http", port: 5000, path: "/", expectBody: "Hello from Python!" }] as const;
    const good = await build("health-good", '["python", "-c", "print(1)"]');
    const ok = await verify({ image: good, probes: [...probes], runHealthcheck: true });
    expect(ok.error).toBeUndefined();
    expect(ok.healthcheck).toEqual({ command: ["python", "-c", "print(1)"], exitCode: 0 });
    const bad = await build("health-bad", "python -c 'import sys; print(\"db down\"); sys.exit(3)'");
    const failed = await verify({ image: bad, probes: [...probes], runHealthcheck: true });
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/the image's HEALTHCHECK \(\/bin\/sh -c python -c .*\) exited 3: db down/);
    // Not asked: the probes alone decide (the original of a differential run is never held to its check).
    expect((await verify({ image: bad, probes: [...probes] })).ok).toBe(true);
  });

  it("fails (not throws) when the counter does not count as claimed", async () => {
    const r = await verify({
      compose: { file: join(FLASK_DIR, "docker-compose.yml"), service: "web" },
      probes: [{ kind: "http", port: 5000, path: "/hits", expectSequence: ["seen 1 ", "seen 1 "] }],
    });
    expect(r.ok).toBe(false);
    expect(r.probes[0]?.detail).toMatch(/request 2: body .*seen 2 times/);
    expect(r.logs).toContain("GET /hits");
  });
});

describe("reliability: a clear failure and nothing left behind", () => {
  it("an image that does not exist (an input error, the early network removed)", async () => {
    await expect(
      verify({ image: "slimstage-test/no-such-image:none", probes: [{ kind: "tcp", port: 1 }] }),
    ).rejects.toBeInstanceOf(InputError);
  });

  it("an image that exits at once", async () => {
    const t0 = Date.now();
    const r = await verify({
      command: ["python", "-c", "import sys; print('config missing', file=sys.stderr); sys.exit(3)"],
      probes: [{ kind: "http", port: 5000, path: "/" }],
    });
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/exited with code 3/);
    expect(r.logs).toContain("config missing");
    expect(Date.now() - t0).toBeLessThan(15_000);
  });

  it("a port that never opens", async () => {
    const r = await verify({
      command: ["sleep", "300"],
      probes: [{ kind: "tcp", port: 5000 }],
      timeoutMs: 3000,
    });
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/port 5000 does not accept connections: timed out/);
  });

  it("a probe that times out (the server accepts but never answers)", async () => {
    const r = await verify({
      command: [
        "python",
        "-c",
        "import socket,time; s=socket.socket(); s.bind(('',5000)); s.listen(); print('listening', flush=True); time.sleep(300)",
      ],
      probes: [{ kind: "http", port: 5000, path: "/" }],
      timeoutMs: 4000,
    });
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/no HTTP answer on :5000: timed out/);
    expect(r.logs).toContain("listening");
  });

  it("a sidecar whose healthcheck fails", async () => {
    const r = await verify({
      compose: { file: join(FLASK_DIR, "docker-compose.unhealthy.yml"), service: "web" },
      probes: [{ kind: "http", port: 5000, path: "/hits" }],
    });
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/^sidecar cache is unhealthy: healthcheck said "not ready"/);
    expect(r.probes[0]?.detail).toMatch(/^not run/);
  });

  it("an interrupt (AbortSignal) while waiting", async () => {
    const ac = new AbortController();
    const p = verify({
      command: ["sleep", "300"],
      probes: [{ kind: "tcp", port: 5000 }],
      signal: ac.signal,
      onProgress: (e) => {
        if (e.type === "phase" && e.phase === "probe") setTimeout(() => ac.abort("SIGINT"), 300);
      },
    });
    await expect(p).rejects.toBeInstanceOf(InterruptedError);
  });

  it("the engine stopping mid-run: EngineError, and cleanup once it answers again", async () => {
    // A socket in front of the engine that we can cut and restore: from the
    // client's side exactly what a stopping and restarting dockerd looks like.
    const sockPath = join(tmp, "engine.sock");
    const conns = new Set<Socket>();
    let server: Server | undefined;
    const up = () =>
      new Promise<void>((resolve) => {
        server = createServer((c) => {
          const u = createConnectionToEngine();
          conns.add(c).add(u);
          c.pipe(u).pipe(c);
          const drop = () => {
            c.destroy();
            u.destroy();
          };
          c.on("error", drop).on("close", drop);
          u.on("error", drop).on("close", drop);
        });
        server.listen(sockPath, resolve);
      });
    const down = () =>
      new Promise<void>((resolve) => {
        for (const c of conns) c.destroy();
        conns.clear();
        server?.close(() => resolve());
      });
    await up();
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = `unix://${sockPath}`;
    try {
      const p = verify({
        command: ["sleep", "300"],
        probes: [{ kind: "tcp", port: 5000 }],
        onProgress: (e) => {
          if (e.type === "phase" && e.phase === "probe") {
            setTimeout(() => {
              void down().then(() => setTimeout(() => void up(), 2000));
            }, 300);
          }
        },
      });
      const err = await p.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EngineError);
      expect((err as Error).message).toMatch(/engine stopped answering/);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
      await down();
    }
  });
});

function createConnectionToEngine(): Socket {
  return connect("/var/run/docker.sock");
}

describe("slimstage verify (CLI)", () => {
  const cli = (
    args: string[],
  ): { child: ChildProcess; out: () => string; err: () => string; done: Promise<number | null> } => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "verify", ...args, "--label", "org.slimstage.test=build-verify"],
      {
        env: { ...process.env, SLIMSTAGE_MAIN: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    return { child, out: () => out, err: () => err, done: new Promise((r) => child.on("close", r)) };
  };

  it("exits 0 with the probe result and 5 when a probe fails", async () => {
    await clean(async () => {
      const ok = cli([
        image,
        "--probe",
        "http://:5000/",
        "--expect-status",
        "200",
        "--expect-body",
        "Hello",
        "--json",
      ]);
      expect(await ok.done).toBe(0);
      const r = JSON.parse(ok.out()) as VerifyResult;
      expect(r.ok).toBe(true);
      expect(r.startupMs).toBeGreaterThan(0);
      const bad = cli([image, "--probe", "http://:5000/", "--expect-body", "Goodbye"]);
      expect(await bad.done).toBe(5);
      expect(bad.out()).toMatch(
        /FAIL http :5000\/: request 1: body "Hello from Python!" does not contain "Goodbye"/,
      );
      expect(bad.err()).toMatch(/--- container output/);
    });
  });

  it('--cmd replaces the image\'s ENTRYPOINT too (an ENTRYPOINT ["python3"] image is not given /bin/sh as a script)', async () => {
    const dir = join(tmp, "entrypoint-python3");
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, "Dockerfile"),
      `FROM ${image}\nENTRYPOINT ["python3"]\nCMD ["-c", "import sys; sys.exit(3)"]\n`,
    );
    const tag = "slimstage-test/entrypoint-python3:build-verify";
    await buildImage({ context: dir, tags: [tag], labels: { ...TEST_LABELS } });
    await clean(async () => {
      const run = cli([tag, "--cmd", "cd / && exec python3 -m http.server 5000", "--probe", "http://:5000/"]);
      expect(await run.done).toBe(0);
      expect(run.out()).toMatch(/http :5000\//);
    });
  });

  it("exits 130 on Ctrl-C during a verify and removes what it started", async () => {
    await clean(async () => {
      const run = cli([image, "--cmd", "sleep 300", "--probe", "tcp:5000"]);
      const timer = setInterval(() => {
        if (/probing/.test(run.err())) {
          clearInterval(timer);
          setTimeout(() => run.child.kill("SIGINT"), 500);
        }
      }, 100);
      const code = await run.done;
      clearInterval(timer);
      expect(code).toBe(130);
      expect(run.err()).toMatch(/SIGINT received, cleaning up/);
    });
  });

  it("exits 2 on bad input", async () => {
    const bad = cli([image, "--probe", "http://:5000/", "--expect-status", "20x"]);
    expect(await bad.done).toBe(2);
    expect(bad.err()).toMatch(/not an HTTP status/);
    const unsupported = join(tmp, "bad-compose.yml");
    await writeFile(unsupported, "services:\n  web:\n    image: x\n    privileged: true\n");
    const c = cli([image, "--compose", unsupported, "--service", "web"]);
    expect(await c.done).toBe(2);
    expect(c.err()).toMatch(/bad-compose\.yml:4:5: .*"services\.web\.privileged" is not supported/);
  });
});
