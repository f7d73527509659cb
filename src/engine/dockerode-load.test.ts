import { Agent } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDockerode } from "./dockerode-load.js";

const require = createRequire(import.meta.url);
const dockerodeMain = require.resolve("dockerode");
const modemMain = createRequire(dockerodeMain).resolve("docker-modem");
const ssh2Main = createRequire(modemMain).resolve("ssh2");
const grpcMain = createRequire(dockerodeMain).resolve("@grpc/grpc-js");

describe("loadDockerode", () => {
  it("gives dockerode's client without loading ssh2 or gRPC, and each loads on its first use", () => {
    const Docker = loadDockerode();
    const docker = new Docker({ socketPath: "/nonexistent/docker.sock" });
    expect(typeof docker.listContainers).toBe("function");
    expect(require.cache[ssh2Main]).toBeUndefined();
    expect(require.cache[grpcMain]).toBeUndefined();

    // docker-modem's ssh transport, as docker-modem calls it for an ssh:// engine: the real
    // module loads now and returns its agent (no connection is made before a request).
    const ssh = require(join(dirname(modemMain), "ssh.js")) as (opt: object) => unknown;
    const agent = ssh({ host: "127.0.0.1", port: 1, username: "nobody" });
    expect(agent).toBeInstanceOf(Agent);
    expect(require.cache[ssh2Main]).toBeDefined();
  });
});
