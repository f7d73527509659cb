/**
 * Losing the engine during a build is the engine's failure (exit 3), not
 * the build's (issue #16, finding 8: it exited 4). The engine is reached
 * through a socket relay made here; when the RUN step starts, the relay
 * closes every connection and stops listening: to slimstage and its
 * BuildKit client the engine is gone, while the shared dockerd runs on.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineError } from "../errors.js";
import { BASE } from "../verify/testdata/fixtures.js";
import { buildImage } from "./build/build.js";
import { connectEngine, systemDiscoveryHost } from "./connect.js";

let dir = "";
let relay: Server;
const sockets = new Set<Socket>();
const token = randomBytes(6).toString("hex");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-engine-lost-"));
  const target = (await connectEngine()).host.replace(/^unix:\/\//, "");
  relay = createServer((client) => {
    const upstream = createConnection(target);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
  });
  await new Promise<void>((r) => relay.listen(join(dir, "engine.sock"), r));
  // A RUN that outlasts the test unless the build is cut; the token keeps it out of the cache.
  await writeFile(join(dir, "Dockerfile"), `FROM ${BASE}\nRUN echo ${token} && sleep 120\n`);
});

afterAll(async () => {
  relay.close();
  for (const s of sockets) s.destroy();
  await rm(dir, { recursive: true, force: true });
});

describe("engine lost during a build", () => {
  it("rejects with EngineError (exit 3), not BuildError", async () => {
    const host = `unix://${join(dir, "engine.sock")}`;
    const engine = await connectEngine({ host: systemDiscoveryHost({ ...process.env, DOCKER_HOST: host }) });
    expect(engine.host).toBe(host);
    let cut = false;
    const err = await buildImage({
      context: dir,
      engine,
      tags: [`slimstage-test/engine-lost:${token}`],
      onProgress: (e) => {
        if (!cut && e.type === "step-start" && e.step.name.includes("sleep")) {
          cut = true;
          relay.close();
          for (const s of sockets) s.destroy();
        }
      },
    }).catch((e: unknown) => e);
    expect(cut).toBe(true);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as Error).message).toMatch(/the engine stopped answering during the build/);
  }, 180_000);
});
