/**
 * optimize on the shapes of real projects (#15), against the real engine:
 * the rewrite of a multi-target Dockerfile chosen by its compose file's
 * build.target, a Django production Dockerfile (APP_HOME, entrypoint wrapper
 * using netcat, media uploads, time zones) and a hit counter whose only route
 * changes state, and a project in service/ that only the root Dockerfile's
 * `COPY service /service` points to. Each verified image is also stopped with `docker stop`: the
 * app must end by the forwarded SIGTERM (exit 143 or 0), not be killed after
 * the grace period (137); the stop time is printed, not asserted.
 * Images are labelled org.slimstage.test=plan-real and removed afterwards.
 */
import { realpath } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeByLabel } from "../engine/cleanup.js";
import { connectEngine } from "../engine/connect.js";
import { untagLocalImage } from "../engine/local-images.js";
import { type OptimizeResult, optimizeProject, type TierAttempt } from "./optimize.js";
import { writeFixture } from "./testdata/fixtures.js";
import { djangoAppHome, multiTarget, serviceSubfolder, stateRouteCounter } from "./testdata/real-shapes.js";

const LABELS = { "org.slimstage.test": "plan-real" };
const RUN = Math.random().toString(36).slice(2, 8);
const tags: string[] = [];
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  const engine = await connectEngine();
  for (const t of tags.splice(0)) await untagLocalImage(engine, t);
  await removeByLabel(engine, LABELS, { images: true });
  for (const c of cleanups.splice(0)) await c();
});

function attempt(r: OptimizeResult, tier: "slim" | "distroless"): TierAttempt {
  const a = r.attempts.find((x) => x.tier === tier);
  if (!a) throw new Error(`no ${tier} attempt`);
  if (a.image) tags.push(a.image);
  return a;
}

/** Starts the image, stops it with a 10 s grace period, and returns the stop time and the exit code. */
async function stopTime(image: string): Promise<{ ms: number; exitCode: number }> {
  const engine = await connectEngine();
  const c = await engine.docker.createContainer({ Image: image, Labels: LABELS, StopTimeout: 10 });
  try {
    await c.start();
    // Up means the init and the app run; the app's own readiness is not what is measured here.
    for (let i = 0; i < 50 && !(await c.inspect()).State.Running; i++)
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500));
    const t0 = performance.now();
    await c.stop({ t: 10 });
    const ms = performance.now() - t0;
    return { ms, exitCode: (await c.inspect()).State.ExitCode };
  } finally {
    await c.remove({ force: true });
  }
}

async function dirOf(fx: Record<string, string>): Promise<string> {
  const { dir, cleanup } = await writeFixture(fx);
  cleanups.push(cleanup);
  return dir;
}

describe("optimize on real project shapes", () => {
  it("multi-target with compose target: builder: slim verified (the heredoc step ran), distroless says why not", async () => {
    const dir = await dirOf(multiTarget);
    const r = await optimizeProject(dir, {
      allTiers: true,
      compose: { file: `${dir}/compose.yaml`, service: "web" },
      probes: [{ kind: "http", port: 8000, path: "/", expectStatus: 200, expectBody: "ready: yes" }],
      labels: LABELS,
      repository: `slimstage-test/plan-real-multi-${RUN}`,
    });
    const slim = attempt(r, "slim");
    const distroless = attempt(r, "distroless");
    expect(distroless.status).toBe("build-failed");
    expect(distroless.reason).toContain("need a shell");
    expect(slim.reason).toBeUndefined();
    expect(slim.status).toBe("verified");
    const stop = await stopTime(slim.image as string);
    console.log(
      `MEASURED multi-target slim ${(slim.sizeBytes ?? 0) / 1e6} MB, docker stop ${stop.ms.toFixed(0)} ms`,
    );
    expect([0, 143]).toContain(stop.exitCode);
  }, 900_000);

  it("Django with APP_HOME, netcat entrypoint, uploads and time zones: slim verified on every route", async () => {
    const dir = await dirOf(djangoAppHome);
    const r = await optimizeProject(dir, {
      allTiers: true,
      probes: [
        { kind: "http", port: 8000, path: "/healthz", expectStatus: 200, expectBody: "ok" },
        // December in Europe/Berlin: needs the time-zone database in the image
        { kind: "http", port: 8000, path: "/now", expectStatus: 200, expectBody: "CET" },
        // an upload into MEDIA_ROOT: needs the folder writable by the app user
        { kind: "http", port: 8000, path: "/upload", method: "POST", expectStatus: 201 },
      ],
      labels: LABELS,
      repository: `slimstage-test/plan-real-django-${RUN}`,
    });
    const slim = attempt(r, "slim");
    const distroless = attempt(r, "distroless");
    expect(distroless.reason).toContain("ENTRYPOINT shell script");
    expect(slim.reason).toBeUndefined();
    expect(slim.status).toBe("verified");
    expect(slim.dockerfile).toContain('ENTRYPOINT ["/usr/bin/tini", "--", "/home/app/web/entrypoint.sh"]');
    const stop = await stopTime(slim.image as string);
    console.log(
      `MEASURED django slim ${(slim.sizeBytes ?? 0) / 1e6} MB, docker stop ${stop.ms.toFixed(0)} ms`,
    );
    expect([0, 143]).toContain(stop.exitCode);
  }, 900_000);

  it("a hit counter whose only route changes state: the HEALTHCHECK connects, the count goes 1, 2, 3", async () => {
    const dir = await dirOf(stateRouteCounter);
    const r = await optimizeProject(dir, {
      allTiers: true,
      probes: [{ kind: "http", port: 5000, path: "/", expectSequence: ["hits: 1", "hits: 2", "hits: 3"] }],
      labels: LABELS,
      repository: `slimstage-test/plan-real-counter-${RUN}`,
    });
    for (const tier of ["distroless", "slim"] as const) {
      const a = attempt(r, tier);
      expect(a.reason).toBeUndefined();
      expect(a.status).toBe("verified");
      expect(a.dockerfile).toContain("socket.create_connection(('127.0.0.1', 5000), 3)");
      const stop = await stopTime(a.image as string);
      console.log(
        `MEASURED counter ${tier} ${(a.sizeBytes ?? 0) / 1e6} MB, docker stop ${stop.ms.toFixed(0)} ms`,
      );
      expect([0, 143]).toContain(stop.exitCode);
    }
  }, 900_000);

  it("a project in service/, named by the root Dockerfile's COPY service /service: found, both tiers verified", async () => {
    const dir = await dirOf(serviceSubfolder);
    const r = await optimizeProject(dir, {
      allTiers: true,
      probes: [
        { kind: "http", port: 8000, path: "/health", expectStatus: 200, expectBody: "ok" },
        {
          kind: "http",
          port: 8000,
          path: "/books",
          expectStatus: 200,
          expectJson: [{ path: "count", value: "2" }],
        },
      ],
      labels: LABELS,
      repository: `slimstage-test/plan-real-service-${RUN}`,
    });
    expect(r.project.dir).toBe(path.join(await realpath(dir), "service"));
    expect(r.target).toBe(path.join(await realpath(dir), "service", "Dockerfile"));
    expect(r.decisions.find((d) => d.topic === "discovery")?.text).toContain("COPY service /service");
    for (const tier of ["distroless", "slim"] as const) {
      const a = attempt(r, tier);
      expect(a.reason).toBeUndefined();
      expect(a.status).toBe("verified");
      // The original's WORKDIR stays where the app lives.
      expect(a.dockerfile).toContain("WORKDIR /service");
      const stop = await stopTime(a.image as string);
      console.log(
        `MEASURED service ${tier} ${(a.sizeBytes ?? 0) / 1e6} MB, start-up ${a.verify?.startupMs} ms, docker stop ${stop.ms.toFixed(0)} ms`,
      );
      expect([0, 143]).toContain(stop.exitCode);
    }
  }, 900_000);
});
