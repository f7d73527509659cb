import { describe, expect, it } from "vitest";
import { EngineError } from "../errors.js";
import { connectEngine, unreachableError } from "./connect.js";
import type { DiscoveryHost, EngineCandidate } from "./discovery.js";

const sock: EngineCandidate = {
  strategy: "default socket",
  detail: "/var/run/docker.sock",
  endpoint: { kind: "unix", socketPath: "/var/run/docker.sock" },
  host: "unix:///var/run/docker.sock",
  explicit: false,
};
const err = (code: string) => Object.assign(new Error(`connect ${code} /var/run/docker.sock`), { code });

describe("unreachableError", () => {
  it("permission denied says how to get access", () => {
    const e = unreachableError(sock, err("EACCES"));
    expect(e).toBeInstanceOf(EngineError);
    expect(e.message).toContain("permission denied");
    expect(e.message).toContain("/var/run/docker.sock");
    expect(e.hint).toContain("group");
  });

  it("a missing socket and a refused connection point at `slimstage setup` and DOCKER_HOST", () => {
    for (const code of ["ENOENT", "ECONNREFUSED"]) {
      const e = unreachableError(sock, err(code));
      expect(e.hint).toContain("slimstage setup");
      expect(e.hint).toContain("DOCKER_HOST=ssh://");
    }
    expect(unreachableError(sock, err("ECONNREFUSED")).message).toContain("not running");
  });

  it("anything else names the engine and the cause", () => {
    const e = unreachableError(sock, new Error("no answer within 10 s"));
    expect(e.message).toContain("no answer within 10 s");
    expect(e.message).toContain("found by default socket");
  });
});

describe("connectEngine without any engine", () => {
  it("says where it looked and what to install", async () => {
    const nothing: DiscoveryHost = {
      env: {},
      homedir: "/nonexistent-home",
      readFile: async () => {
        throw new Error("ENOENT");
      },
      exists: async () => false,
    };
    const e = await connectEngine({ host: nothing }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EngineError);
    expect((e as EngineError).message).toContain("no container engine found");
    expect((e as EngineError).message).toContain("/var/run/docker.sock");
    expect((e as EngineError).hint).toContain("apt-get install docker.io");
  });
});

describe("unreachableError for remote engines", () => {
  it("a refused ssh or tcp connection points at the remote side, not at `slimstage setup`", () => {
    const ssh: EngineCandidate = {
      strategy: "DOCKER_HOST",
      detail: "DOCKER_HOST=ssh://me@big",
      endpoint: { kind: "ssh", host: "big", user: "me" },
      host: "ssh://me@big",
      explicit: true,
    };
    const e = unreachableError(ssh, err("ECONNREFUSED"));
    expect(e.message).toContain("no ssh server listens");
    expect(e.hint).toContain("unset DOCKER_HOST");
  });
});
