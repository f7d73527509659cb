import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import {
  type DiscoveryHost,
  defaultSocketStrategy,
  discoverEngines,
  dockerContextStrategy,
  dockerHostStrategy,
  parseEngineAddress,
  podmanSocketStrategy,
} from "./discovery.js";

/** An injected machine: an environment and a file system held in maps. */
function fakeHost(
  env: Record<string, string | undefined>,
  files: Record<string, string> = {},
): DiscoveryHost {
  return {
    env,
    homedir: "/home/u",
    readFile: async (p) => {
      const f = files[p];
      if (f === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
      return f;
    },
    exists: async (p) => p in files,
  };
}

const ctxId = (name: string) => createHash("sha256").update(name).digest("hex");

describe("parseEngineAddress", () => {
  it("reads unix, tcp and ssh addresses", () => {
    expect(parseEngineAddress("unix:///run/x.sock", "V")).toEqual({
      kind: "unix",
      socketPath: "/run/x.sock",
    });
    expect(parseEngineAddress("tcp://build.example:2375", "V")).toEqual({
      kind: "tcp",
      host: "build.example",
      port: 2375,
    });
    expect(parseEngineAddress("tcp://10.1.2.3", "V")).toEqual({ kind: "tcp", host: "10.1.2.3", port: 2375 });
    expect(parseEngineAddress("tcp://[::1]:2376", "V")).toEqual({ kind: "tcp", host: "::1", port: 2376 });
    expect(parseEngineAddress("ssh://ci@big-host:2222", "V")).toEqual({
      kind: "ssh",
      host: "big-host",
      port: 2222,
      user: "ci",
    });
    expect(parseEngineAddress("ssh://big-host", "V")).toEqual({ kind: "ssh", host: "big-host" });
  });

  it("defaults the port to 2376 when TLS is on", () => {
    const tls = { verify: true, certPath: "/c" };
    expect(parseEngineAddress("tcp://h", "V", tls)).toEqual({ kind: "tcp", host: "h", port: 2376, tls });
  });

  it.each([
    ["/var/run/docker.sock", "no scheme"],
    ["docker.sock", "no scheme"],
    ["unix://relative.sock", "absolute path"],
    ["tcp://", "no host name"],
    ["tcp://host:99999", "cannot be read"],
    ["tcp://host:2375/path", "no path"],
    ["ssh://", "no host name"],
    ["http://host:2375", "use tcp://"],
    ["npipe:////./pipe/docker_engine", "Windows"],
    ["ftp://host", "unknown scheme"],
  ])("rejects %s naming the variable and the value (%s)", (value, why) => {
    let err: unknown;
    try {
      parseEngineAddress(value, "DOCKER_HOST");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as InputError).message;
    expect(msg).toContain("DOCKER_HOST=");
    expect(msg).toContain(JSON.stringify(value));
    expect(msg).toContain(why);
  });
});

describe("DOCKER_HOST strategy", () => {
  it("is not applicable when unset or empty", async () => {
    expect((await dockerHostStrategy.find(fakeHost({}))).candidates).toEqual([]);
    expect((await dockerHostStrategy.find(fakeHost({ DOCKER_HOST: " " }))).candidates).toEqual([]);
  });

  it("takes tcp:// with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH", async () => {
    const found = await dockerHostStrategy.find(
      fakeHost({ DOCKER_HOST: "tcp://remote:2376", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: "/certs" }),
    );
    const c = found.candidates[0];
    expect(c?.endpoint).toEqual({
      kind: "tcp",
      host: "remote",
      port: 2376,
      tls: { verify: true, certPath: "/certs" },
    });
    expect(c?.cliEnv).toEqual({ DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: "/certs" });
    expect(c?.explicit).toBe(true);
  });

  it("uses ~/.docker for certificates when DOCKER_CERT_PATH is unset", async () => {
    const found = await dockerHostStrategy.find(
      fakeHost({ DOCKER_HOST: "tcp://remote", DOCKER_TLS_VERIFY: "1" }),
    );
    expect(found.candidates[0]?.endpoint).toMatchObject({ tls: { certPath: "/home/u/.docker" }, port: 2376 });
  });

  it("treats DOCKER_TLS_VERIFY=0 as off", async () => {
    const found = await dockerHostStrategy.find(
      fakeHost({ DOCKER_HOST: "tcp://remote", DOCKER_TLS_VERIFY: "0" }),
    );
    expect(found.candidates[0]?.endpoint).toEqual({ kind: "tcp", host: "remote", port: 2375 });
  });

  it("takes ssh://", async () => {
    const found = await dockerHostStrategy.find(fakeHost({ DOCKER_HOST: "ssh://me@bigger-host" }));
    expect(found.candidates[0]).toMatchObject({
      host: "ssh://me@bigger-host",
      endpoint: { kind: "ssh", user: "me" },
    });
  });

  it("throws InputError on a malformed value", async () => {
    await expect(dockerHostStrategy.find(fakeHost({ DOCKER_HOST: "localhost:2375" }))).rejects.toThrow(
      /DOCKER_HOST="localhost:2375"/,
    );
  });
});

describe("docker context strategy", () => {
  const cfg = "/home/u/.docker/config.json";
  const meta = (name: string, dir = "/home/u/.docker") => `${dir}/contexts/meta/${ctxId(name)}/meta.json`;

  it("is not applicable without a config file or a current context", async () => {
    expect((await dockerContextStrategy.find(fakeHost({}))).candidates).toEqual([]);
    expect((await dockerContextStrategy.find(fakeHost({}, { [cfg]: "{}" }))).candidates).toEqual([]);
    expect(
      (await dockerContextStrategy.find(fakeHost({}, { [cfg]: '{"currentContext":"default"}' }))).candidates,
    ).toEqual([]);
  });

  it("reads currentContext and the context's meta.json", async () => {
    const h = fakeHost(
      {},
      {
        [cfg]: '{"currentContext":"remote"}',
        [meta("remote")]: JSON.stringify({
          Name: "remote",
          Endpoints: { docker: { Host: "ssh://ci@build-box" } },
        }),
      },
    );
    const c = (await dockerContextStrategy.find(h)).candidates[0];
    expect(c).toMatchObject({ strategy: "docker context", host: "ssh://ci@build-box", explicit: true });
    expect(c?.endpoint).toEqual({ kind: "ssh", host: "build-box", user: "ci" });
  });

  it("prefers DOCKER_CONTEXT and honours DOCKER_CONFIG", async () => {
    const h = fakeHost(
      { DOCKER_CONTEXT: "other", DOCKER_CONFIG: "/etc/dk" },
      {
        "/etc/dk/config.json": '{"currentContext":"remote"}',
        [meta("other", "/etc/dk")]: JSON.stringify({
          Endpoints: { docker: { Host: "unix:///run/other.sock" } },
        }),
      },
    );
    const c = (await dockerContextStrategy.find(h)).candidates[0];
    expect(c?.endpoint).toEqual({ kind: "unix", socketPath: "/run/other.sock" });
  });

  it("uses the context's TLS files for a tcp endpoint", async () => {
    const tlsDir = `/home/u/.docker/contexts/tls/${ctxId("secure")}/docker`;
    const h = fakeHost(
      {},
      {
        [cfg]: '{"currentContext":"secure"}',
        [meta("secure")]: JSON.stringify({
          Endpoints: { docker: { Host: "tcp://secure:2376", SkipTLSVerify: false } },
        }),
        [`${tlsDir}/ca.pem`]: "x",
      },
    );
    const c = (await dockerContextStrategy.find(h)).candidates[0];
    expect(c?.endpoint).toMatchObject({ tls: { verify: true, certPath: tlsDir } });
    expect(c?.cliEnv).toEqual({ DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: tlsDir });
  });

  it("fails clearly on a missing context, bad JSON, or a context without endpoint", async () => {
    await expect(
      dockerContextStrategy.find(fakeHost({}, { [cfg]: '{"currentContext":"gone"}' })),
    ).rejects.toThrow(/docker context "gone".*does not exist/);
    await expect(dockerContextStrategy.find(fakeHost({}, { [cfg]: "{not json" }))).rejects.toBeInstanceOf(
      InputError,
    );
    await expect(
      dockerContextStrategy.find(
        fakeHost({}, { [cfg]: '{"currentContext":"empty"}', [meta("empty")]: "{}" }),
      ),
    ).rejects.toThrow(/no docker endpoint/);
  });
});

describe("socket strategies", () => {
  it("finds the default socket and a rootless one", async () => {
    const h = fakeHost(
      { XDG_RUNTIME_DIR: "/run/user/1000" },
      { "/var/run/docker.sock": "", "/run/user/1000/docker.sock": "" },
    );
    const found = await defaultSocketStrategy.find(h);
    expect(found.candidates.map((c) => c.host)).toEqual([
      "unix:///var/run/docker.sock",
      "unix:///run/user/1000/docker.sock",
    ]);
    expect(found.candidates.every((c) => !c.explicit)).toBe(true);
  });

  it("reports a missing default socket as not applicable, naming the path", async () => {
    const found = await defaultSocketStrategy.find(fakeHost({}));
    expect(found.candidates).toEqual([]);
    expect(found.detail).toContain("/var/run/docker.sock");
  });

  it("finds the user's Podman socket before the system's", async () => {
    const h = fakeHost(
      { XDG_RUNTIME_DIR: "/run/user/1000" },
      { "/run/podman/podman.sock": "", "/run/user/1000/podman/podman.sock": "" },
    );
    const found = await podmanSocketStrategy.find(h);
    expect(found.candidates.map((c) => c.detail)).toEqual([
      "/run/user/1000/podman/podman.sock",
      "/run/podman/podman.sock",
    ]);
  });
});

describe("discoverEngines precedence", () => {
  const all = {
    "/home/u/.docker/config.json": '{"currentContext":"remote"}',
    [`/home/u/.docker/contexts/meta/${ctxId("remote")}/meta.json`]: JSON.stringify({
      Endpoints: { docker: { Host: "tcp://ctx-host:2375" } },
    }),
    "/var/run/docker.sock": "",
    "/run/podman/podman.sock": "",
  };

  it("DOCKER_HOST wins over everything and stands alone", async () => {
    const d = await discoverEngines(fakeHost({ DOCKER_HOST: "unix:///tmp/d.sock" }, all));
    expect(d.candidates.map((c) => c.strategy)).toEqual(["DOCKER_HOST"]);
    expect(d.reports.map((r) => r.strategy)).toEqual(["DOCKER_HOST"]);
  });

  it("a current context comes next", async () => {
    const d = await discoverEngines(fakeHost({}, all));
    expect(d.candidates.map((c) => c.host)).toEqual(["tcp://ctx-host:2375"]);
  });

  it("without explicit choices every socket found is a candidate, Docker's first", async () => {
    const { "/home/u/.docker/config.json": _, ...sockets } = all;
    const d = await discoverEngines(fakeHost({}, sockets));
    expect(d.candidates.map((c) => c.strategy)).toEqual(["default socket", "podman socket"]);
    expect(d.reports.map((r) => r.outcome)).toEqual(["not applicable", "not applicable", "found", "found"]);
  });

  it("finds nothing on a machine without an engine, and says what it checked", async () => {
    const d = await discoverEngines(fakeHost({}));
    expect(d.candidates).toEqual([]);
    expect(d.reports.map((r) => r.detail).join(" ")).toContain("/var/run/docker.sock");
  });

  it("stops at a malformed DOCKER_HOST instead of falling back", async () => {
    await expect(discoverEngines(fakeHost({ DOCKER_HOST: "tcp//oops" }, all))).rejects.toBeInstanceOf(
      InputError,
    );
  });
});
