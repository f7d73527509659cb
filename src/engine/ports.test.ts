import type { networkInterfaces } from "node:os";
import { describe, expect, it } from "vitest";
import { EngineError } from "../errors.js";
import { engineHostAddress, onLocalNetwork, portPublishing, publishBody, reachFromInspect } from "./ports.js";

// A host with a Docker bridge (172.18.0.1/16) and an uplink; loopback is internal.
const IFACES = {
  lo: [
    {
      address: "127.0.0.1",
      netmask: "255.0.0.0",
      family: "IPv4",
      mac: "",
      internal: true,
      cidr: "127.0.0.1/8",
    },
  ],
  eth0: [
    {
      address: "10.0.0.5",
      netmask: "255.255.255.0",
      family: "IPv4",
      mac: "",
      internal: false,
      cidr: "10.0.0.5/24",
    },
  ],
  "br-1": [
    {
      address: "172.18.0.1",
      netmask: "255.255.0.0",
      family: "IPv4",
      mac: "",
      internal: false,
      cidr: "172.18.0.1/16",
    },
  ],
} as ReturnType<typeof networkInterfaces>;

const inspect = (ip: string, ports: Record<string, { HostIp?: string; HostPort?: string }[] | null>) => ({
  NetworkSettings: { Networks: { run: { IPAddress: ip } }, Ports: ports },
});

describe("engine host and publishing", () => {
  it("reaches a unix-socket engine on loopback and a tcp engine at its host", () => {
    expect(engineHostAddress("unix:///var/run/docker.sock")).toBe("127.0.0.1");
    expect(engineHostAddress("tcp://10.200.0.2:2375")).toBe("10.200.0.2");
    expect(engineHostAddress("tcp://[fd00::2]:2376")).toBe("fd00::2");
    expect(() => engineHostAddress("ssh://me@big")).toThrow(EngineError);
  });

  it("binds loopback only for a local engine, all addresses for a remote one", () => {
    expect(portPublishing("unix:///run/podman/podman.sock", [5000, 80, 5000])).toEqual({
      ports: [80, 5000],
      hostIp: "127.0.0.1",
    });
    expect(portPublishing("tcp://10.200.0.2:2375", [5000]).hostIp).toBe("");
    expect(publishBody({ ports: [5000], hostIp: "" })).toEqual({
      ExposedPorts: { "5000/tcp": {} },
      PortBindings: { "5000/tcp": [{ HostIp: "", HostPort: "" }] },
    });
  });
});

describe("reachFromInspect", () => {
  it("uses the container's address when its network is on a local interface", () => {
    expect(onLocalNetwork("172.18.0.3", IFACES)).toBe(true);
    const r = reachFromInspect(
      inspect("172.18.0.3", { "5000/tcp": [{ HostIp: "127.0.0.1", HostPort: "49153" }] }),
      "run",
      "unix:///var/run/docker.sock",
      { interfaces: IFACES, forcePublished: false },
    );
    expect(r).toEqual({ host: "172.18.0.3", ports: new Map([[5000, 5000]]), via: "network" });
  });

  it("uses the published ports at the engine's host when the network is not routed here", () => {
    expect(onLocalNetwork("172.31.250.2", IFACES)).toBe(false);
    const r = reachFromInspect(
      inspect("172.31.250.2", { "5000/tcp": [{ HostIp: "0.0.0.0", HostPort: "32768" }], "53/udp": null }),
      "run",
      "tcp://10.200.0.2:2375",
      { interfaces: IFACES, forcePublished: false },
    );
    expect(r).toEqual({ host: "10.200.0.2", ports: new Map([[5000, 32768]]), via: "published" });
  });

  it("never uses the address of a remote engine's container, even in a range this host also uses", () => {
    const r = reachFromInspect(
      inspect("172.18.0.3", { "5000/tcp": [{ HostIp: "0.0.0.0", HostPort: "32768" }] }),
      "run",
      "tcp://10.200.0.2:2375",
      { interfaces: IFACES, forcePublished: false },
    );
    expect(r?.via).toBe("published");
  });

  it("has nothing to offer for a container without an address or published ports (it exited)", () => {
    expect(reachFromInspect(inspect("", {}), "run", "tcp://10.200.0.2:2375", { interfaces: IFACES })).toBe(
      undefined,
    );
  });
});
