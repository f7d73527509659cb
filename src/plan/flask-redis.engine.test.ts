/**
 * optimize on a Flask + redis-py project (docker/awesome-compose's
 * flask-redis in miniature), against the real engine and a Redis sidecar.
 * redis 8.1.0 needs async-timeout on CPython < 3.11.3: the base image runs
 * 3.11.2, the host's pip 3.11.7, and the host's index has no async-timeout.
 * The run's wheelhouse must be completed for the base's interpreter, with the
 * wheel built from Debian's source, or pip fails inside the build.
 * Everything is labelled org.slimstage.test=plan-redis and removed afterwards.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countByLabel, removeByLabel } from "../engine/cleanup.js";
import { connectEngine } from "../engine/connect.js";
import { untagLocalImage } from "../engine/local-images.js";
import { optimizeProject } from "./optimize.js";

const LABELS = { "org.slimstage.test": "plan-redis" };
const REPOSITORY = "slimstage-test/plan-flask-redis";

const APP = `import redis
from flask import Flask

app = Flask(__name__)
cache = redis.Redis(host="redis", port=6379)


@app.route("/")
def hello():
    count = cache.incr("hits")
    return f"Hello World! I have been seen {count} times.\\n"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000)
`;

const COMPOSE = `services:
  web:
    build: .
    ports:
      - "8000:8000"
    depends_on:
      redis:
        condition: service_healthy
  redis:
    image: redis:7
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
      interval: 200ms
      timeout: 2s
      retries: 30
`;

let dir: string;
let cacheDir: string;
const savedCache = process.env.SLIMSTAGE_CACHE_DIR;
const tags: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "slimstage-flask-redis-"));
  await writeFile(path.join(dir, "requirements.txt"), "flask\nredis\n");
  await writeFile(path.join(dir, "app.py"), APP);
  await writeFile(path.join(dir, "compose.yaml"), COMPOSE);
  // A cache of its own: async-timeout is built from Debian's source in this run, not found from an earlier one.
  cacheDir = await mkdtemp(path.join(tmpdir(), "slimstage-flask-redis-cache-"));
  process.env.SLIMSTAGE_CACHE_DIR = cacheDir;
});

afterAll(async () => {
  if (savedCache === undefined) delete process.env.SLIMSTAGE_CACHE_DIR;
  else process.env.SLIMSTAGE_CACHE_DIR = savedCache;
  const engine = await connectEngine();
  for (const t of tags.splice(0)) await untagLocalImage(engine, t);
  await removeByLabel(engine, LABELS, { images: true });
  await rm(dir, { recursive: true, force: true });
  await rm(cacheDir, { recursive: true, force: true });
});

describe("optimize on Flask + redis-py", () => {
  it("builds with async-timeout for the base's Python 3.11.2 and counts 1, 2, 3 through a real Redis", async () => {
    const phases: string[] = [];
    const r = await optimizeProject(dir, {
      tier: "distroless",
      labels: LABELS,
      repository: REPOSITORY,
      compose: { file: path.join(dir, "compose.yaml"), service: "web" },
      probes: [{ kind: "http", port: 8000, path: "/", expectBody: "I have been seen {n} times.", repeat: 3 }],
      onProgress: (e) => {
        if (e.type === "phase") phases.push(e.message);
      },
    });
    const a = r.attempts[0];
    if (a?.image) tags.push(a.image);
    expect(a?.reason).toBeUndefined();
    expect(a?.status).toBe("verified");
    expect(a?.verify?.probes[0]?.detail).toMatch(/seen 1 times.*seen 2 times.*seen 3 times/s);
    const said = phases.join("\n");
    expect(said).toContain("building async-timeout 5.0.1 from Debian's source");
    expect(said).toMatch(
      /adds async-timeout>=4\.0\.3 \(redis \S+ needs it\) for Python 3\.11\.2, the base image python:3\.11-slim's interpreter/,
    );
    // The sidecar and the verify network are gone.
    const left = await countByLabel(await connectEngine(), LABELS);
    expect([left.containers, left.networks]).toEqual([0, 0]);
  }, 900_000);

  it("a sidecar image the engine does not have is named before any build", async () => {
    const other = await mkdtemp(path.join(tmpdir(), "slimstage-flask-redis-missing-"));
    try {
      await writeFile(path.join(other, "requirements.txt"), "flask\n");
      await writeFile(path.join(other, "app.py"), APP);
      await writeFile(
        path.join(other, "compose.yaml"),
        COMPOSE.replace("image: redis:7", "image: slimstage-test/not-in-the-store:never"),
      );
      const built: string[] = [];
      await expect(
        optimizeProject(other, {
          tier: "slim",
          labels: LABELS,
          repository: REPOSITORY,
          compose: { file: path.join(other, "compose.yaml"), service: "web" },
          onProgress: (e) => {
            if (e.type === "build") built.push(e.tier);
          },
        }),
      ).rejects.toThrow(
        /service redis of .*compose\.yaml \(line \d+\) runs image slimstage-test\/not-in-the-store:never, which is not in the engine's image store/,
      );
      expect(built).toEqual([]);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
