import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { type CliResult, runCli } from "../../test/cli.js";
import { connectEngine, systemDiscoveryHost } from "../engine/connect.js";
import { EngineError, InputError } from "../errors.js";
import { runDoctor } from "./doctor.js";

const run = promisify(execFile);

const slimstage = (env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> => runCli(args, { env });

describe("doctor against the real engine", () => {
  it("finds the engine by a strategy and reports a BuildKit client and the four bases", async () => {
    const r = await runDoctor({ offline: true });
    expect(r.engine?.strategy).toMatch(/DOCKER_HOST|docker context|default socket|podman socket/);
    expect(r.engine?.serverVersion).toMatch(/^\d+\.\d+/);
    expect(r.engine?.apiVersion).toMatch(/^1\.\d+$/);
    expect(r.engine?.storageDriver).not.toBe("");
    expect(r.buildKitClient?.path).toMatch(/docker$/);
    expect(r.buildKitClient?.detectedBy).not.toBe("");
    for (const ref of [
      "slimstage/debian:bookworm-slim",
      "slimstage/python:3.11-slim",
      "slimstage/node:22-slim",
      "slimstage/redis:7",
    ]) {
      const b = r.bases.find((x) => x.ref === ref);
      expect(b?.present, ref).toBe(true);
      expect(b?.standIn, ref).toBe("local stand-in built from Debian packages");
      expect(b?.size, ref).toBeGreaterThan(10e6);
    }
    expect(r.registry.checked).toBe(false);
    expect(r.ok).toBe(true);
  });

  it("`slimstage doctor --json` reports the same and exits 0; the registry check answers yes or no within its timeout", async () => {
    const started = Date.now();
    const r = await slimstage({}, "doctor", "--json");
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as {
      buildKitClient?: { mode: string };
      registry: { checked: boolean; reachable: boolean };
      bases: { name: string; present: boolean }[];
    };
    expect(["buildx", "DOCKER_BUILDKIT"]).toContain(body.buildKitClient?.mode);
    expect(body.registry.checked).toBe(true);
    expect(typeof body.registry.reachable).toBe("boolean");
    expect(body.bases.filter((b) => b.present).map((b) => b.name)).toEqual(
      expect.arrayContaining(["debian", "python", "node", "redis"]),
    );
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

describe("bad engine settings", () => {
  it("a malformed DOCKER_HOST is an input error naming the variable and value (exit 2)", async () => {
    await expect(
      connectEngine({ host: systemDiscoveryHost({ DOCKER_HOST: "localhost:2375" }) }),
    ).rejects.toBeInstanceOf(InputError);
    const r = await slimstage({ DOCKER_HOST: "tcp//nowhere" }, "doctor");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('DOCKER_HOST="tcp//nowhere"');
  });

  it("a missing socket is an engine error that says what to do (exit 3)", async () => {
    const err = await connectEngine({
      host: systemDiscoveryHost({ DOCKER_HOST: "unix:///nonexistent/docker.sock" }),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).message).toContain("/nonexistent/docker.sock");
    expect((err as EngineError).hint).toContain("slimstage setup");
    expect((err as EngineError).hint).toContain("DOCKER_HOST=ssh://");
    const r = await slimstage({ DOCKER_HOST: "unix:///nonexistent/docker.sock" }, "doctor", "--offline");
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("does not exist");
    const j = await slimstage(
      { DOCKER_HOST: "unix:///nonexistent/docker.sock" },
      "doctor",
      "--json",
      "--offline",
    );
    expect(j.code).toBe(3);
    expect((JSON.parse(j.stdout) as { engineError: { hint: string } }).engineError.hint).toContain(
      "slimstage setup",
    );
  });

  it("permission denied on the real socket is an engine error saying how to get access (exit 3)", async () => {
    // Drops to nobody, who is not in the socket's group; needs root, which CI is.
    expect(process.getuid?.(), "this test drops privileges and must start as root").toBe(0);
    let r: { code: number; stdout: string };
    try {
      const out = await run(
        "setpriv",
        [
          "--reuid=65534",
          "--regid=65534",
          "--clear-groups",
          "node",
          "--import",
          "tsx",
          "src/cli/main.ts",
          "doctor",
          "--offline",
        ],
        {
          env: {
            ...process.env,
            HOME: "/tmp",
            SLIMSTAGE_MAIN: "1",
            DOCKER_HOST: "unix:///var/run/docker.sock",
          },
        },
      );
      r = { code: 0, stdout: out.stdout };
    } catch (e) {
      r = e as { code: number; stdout: string };
    }
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("permission denied on the engine socket");
    expect(r.stdout).toContain("/var/run/docker.sock");
    expect(r.stdout).toContain("usermod -aG docker");
  });

  it("a socket nobody answers on is an engine error (exit 3)", async () => {
    const { createServer } = await import("node:net");
    const { mkdtemp, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const dir = await mkdtemp(`${tmpdir()}/slimstage-sock-`);
    const path = `${dir}/dead.sock`;
    // A socket that accepts and then closes every connection at once.
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(path, r));
    try {
      const err = await connectEngine({
        host: systemDiscoveryHost({ DOCKER_HOST: `unix://${path}` }),
        pingTimeoutMs: 3000,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EngineError);
      expect((err as EngineError).message).toContain(path);
    } finally {
      await new Promise((r) => server.close(r));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
