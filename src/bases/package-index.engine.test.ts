/**
 * Builds reach the offline package index without `--network host` (issue 16 item 5),
 * against the real engine: pip inside a default-network build installs from it, and
 * a service on the host's loopback (a stand-in for a database or an engine API bound
 * to 127.0.0.1) is out of reach of the same RUN step. The same probe on the host
 * network reaches that service, which is why builds no longer use it.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildImage } from "../engine/build/build.js";
import { removeByLabel } from "../engine/cleanup.js";
import { connectEngine } from "../engine/connect.js";
import { type BuildIndex, startPackageIndex, withPackageIndex } from "./package-index.js";

const LABELS = { "org.slimstage.test": "build-index" };
let dir: string;
let loopback: Server;
let loopbackPort: number;
let index: BuildIndex;

// One RUN step that reports what it can reach (the index by its name, the host's loopback
// service), then pip through pip.conf's slimstage-index.
const PROBE_PY = `import socket, sys, urllib.request
index, port = sys.argv[1], int(sys.argv[2])
try:
    urllib.request.urlopen(index + "simple/flask/", timeout=5)
    print("INDEX reachable")
except Exception as e:
    print("INDEX unreachable", type(e).__name__)
try:
    socket.create_connection(("127.0.0.1", port), 3).close()
    print("LOOPBACK reachable")
except Exception as e:
    print("LOOPBACK unreachable", type(e).__name__)
`;
const probe = (indexUrl: string, port: number) => `FROM python:3.11-slim
ARG NONCE
COPY probe.py /probe.py
RUN python /probe.py ${indexUrl} ${port}
RUN pip install --no-cache-dir flask && python -c "import flask; print('PIP installed flask')"
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-build-index-"));
  loopback = createServer((s) => s.end("secret\n"));
  await new Promise<void>((r) => loopback.listen(0, "127.0.0.1", r));
  loopbackPort = (loopback.address() as { port: number }).port;
  index = await startPackageIndex(undefined, { engine: await connectEngine() });
});

afterAll(async () => {
  await index?.close();
  await new Promise<void>((r) => (loopback ? loopback.close(() => r()) : r()));
  await removeByLabel(await connectEngine(), LABELS, { images: true });
  await rm(dir, { recursive: true, force: true });
});

async function build(network: "default" | "host"): Promise<string> {
  await writeFile(join(dir, "probe.py"), PROBE_PY);
  await writeFile(join(dir, "Dockerfile"), probe(index.url, loopbackPort));
  const r = await buildImage({
    context: dir,
    labels: LABELS,
    buildArgs: { NONCE: String(Date.now()) },
    network,
    extraHosts: index.reach.extraHosts,
    noCache: true,
  });
  return r.log;
}

describe("the package index from builds", () => {
  it("is served on the bridge gateway of a local engine, so builds use the default network", () => {
    expect(index.reach.network).toBe("default");
    expect(index.url).toMatch(/^http:\/\/slimstage-index:\d+\/$/);
    expect(index.address).toContain("the bridge gateway");
    expect(index.reach.extraHosts["slimstage-index"]).not.toBe("127.0.0.1");
  });

  it("a default-network build installs from the index and cannot reach the host's loopback", async () => {
    const log = await build(index.reach.network);
    expect(log).toContain("INDEX reachable");
    expect(log).toContain("PIP installed flask");
    expect(log).toContain("LOOPBACK unreachable");
    console.log("MEASURED default network: index reachable, host loopback unreachable");
  });

  it("the host network (what builds used before) reaches the host's loopback service", async () => {
    const log = await build("host");
    expect(log).toContain("INDEX reachable");
    expect(log).toContain("LOOPBACK reachable");
    console.log("MEASURED host network: index reachable, host loopback reachable");
  });
});

describe("withPackageIndex", () => {
  // Whether something still accepts connections where the index listened ("HOST:PORT (…)").
  const serving = (address: string) => {
    const [host, port] = (address.split(" ")[0] ?? "").split(":");
    return new Promise<boolean>((resolve) => {
      const socket = connect(Number(port), host ?? "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
  };

  it("stops the index when the work fails, and runs without one when asked to", async () => {
    const engine = await connectEngine();
    const wheels = join(dir, "wheels");
    await mkdir(wheels, { recursive: true });
    let address = "";
    const failed = withPackageIndex({ engine, port: 0, dir: wheels }, async (i) => {
      address = i.address;
      expect(await serving(address)).toBe(true);
      throw new Error("the build failed");
    });
    await expect(failed).rejects.toThrow("the build failed");
    expect(address).toMatch(/^[\d.]+:\d+ /);
    expect(await serving(address)).toBe(false);
    expect(await withPackageIndex(undefined, async (i) => i)).toBeUndefined();
  });

  it("hands a failed start to onStartError: go on without an index, or throw its error", async () => {
    const missing = { dir: join(dir, "no-such-wheelhouse"), port: 0 };
    const seen: unknown[] = [];
    const value = await withPackageIndex(
      {
        ...missing,
        onStartError: (e) => {
          seen.push(e);
          return undefined;
        },
      },
      async (i) => i,
    );
    expect(value).toBeUndefined();
    expect(String(seen[0])).toContain("no-such-wheelhouse");
    await expect(withPackageIndex(missing, async () => "ran")).rejects.toThrow(/does not exist/);
  });
});
