/**
 * optimize on the shapes of real projects (#15), against the real engine:
 * the rewrite of a multi-target Dockerfile chosen by its compose file's
 * build.target, a Django production Dockerfile (APP_HOME, entrypoint wrapper
 * using netcat, media uploads, time zones) and a hit counter whose only route
 * changes state, and a project in service/ that only the root Dockerfile's
 * `COPY service /service` points to (verified against the project's own image),
 * and a Flask app that compose runs with gunicorn while its Dockerfile's CMD would exit. Each verified image is also stopped with `docker stop`: the
 * app must end by the forwarded SIGTERM (exit 143 or 0), not be killed after
 * the grace period (137); the stop time is printed, not asserted.
 * Images are labelled org.slimstage.test=plan-real-<run> and removed afterwards.
 */
import { realpath } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startPackageIndex } from "../bases/package-index.js";
import { buildImage } from "../engine/build/build.js";
import { optimizeProject } from "./optimize.js";
import { engineRun } from "./test-helpers/engine-run.js";
import {
  composeCommand,
  djangoAppHome,
  multiTarget,
  serviceSubfolder,
  stateRouteCounter,
} from "./testdata/real-shapes.js";

const t = engineRun("plan-real");
const { labels: LABELS, run: RUN, attempt, dirOf, stopTime } = t;

afterAll(() => t.cleanup());

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

  it("compose's command runs (gunicorn on 8000, not the Dockerfile's dead CMD): slim verified on every route, the chowned log file written by the app user", async () => {
    const dir = await dirOf(composeCommand);
    const r = await optimizeProject(path.join(dir, "flask"), {
      allTiers: true,
      probes: [
        { kind: "http", port: 8000, path: "/", expectStatus: 200, expectBody: "Hello World!" },
        { kind: "http", port: 8000, path: "/flask-health-check", expectStatus: 200, expectBody: "success" },
        {
          kind: "http",
          port: 8000,
          path: "/info",
          headers: { "User-Agent": "slimstage-test" },
          expectStatus: 200,
          expectJson: [{ path: "agent", value: "slimstage-test" }],
        },
        // Appends to the log file the old Dockerfile made as root and chowned: needs it owned by the app user.
        { kind: "http", port: 8000, path: "/log", method: "POST", expectStatus: 201, expectBody: "1" },
        { kind: "http", port: 8000, path: "/nope", expectStatus: 404 },
      ],
      labels: LABELS,
      repository: `slimstage-test/plan-real-compose-command-${RUN}`,
    });
    expect(r.project.entry.argv[0]).toBe("gunicorn");
    const slim = attempt(r, "slim");
    expect(slim.reason).toBeUndefined();
    expect(slim.status).toBe("verified");
    expect(slim.verify?.probes.every((p) => p.ok)).toBe(true);
    // curl stays for compose's own healthcheck; distroless cannot hold the kept mkdir/touch step.
    expect(slim.dockerfile).toContain("--no-install-recommends curl");
    expect(attempt(r, "distroless").reason).toContain("need a shell");
    const stop = await stopTime(slim.image as string);
    console.log(
      `MEASURED compose-command slim ${(slim.sizeBytes ?? 0) / 1e6} MB, docker stop ${stop.ms.toFixed(0)} ms`,
    );
    expect([0, 143]).toContain(stop.exitCode);
  }, 900_000);

  it("a project in service/, named by the root Dockerfile's COPY service /service: found, both tiers identical to the original, its mkdir-only step made without a shell", async () => {
    const dir = await dirOf(serviceSubfolder);
    // The project's own image (its plain `pip install` reaches the package index by name, without the host network).
    const original = `slimstage-test/plan-real-service-original:${RUN}`;
    t.tags.push(original);
    const index = await startPackageIndex();
    try {
      await buildImage({ context: dir, tags: [original], labels: LABELS, ...index.reach });
    } finally {
      await index.close();
    }
    const r = await optimizeProject(dir, {
      allTiers: true,
      against: original,
      probes: [
        { kind: "http", port: 8000, path: "/health", expectStatus: 200, expectBody: "ok" },
        {
          kind: "http",
          port: 8000,
          path: "/books",
          expectStatus: 200,
          expectJson: [{ path: "count", value: "2" }],
        },
        { kind: "http", port: 8000, path: "/cache", expectStatus: 200, expectBody: "yes" },
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
      // Its mkdir-only step is made without a shell, so distroless is not kept out by it.
      expect(a.dockerfile).toContain("COPY --from=init /opt/slimstage/empty/ /var/cache/books/\n");
      // Every request of the probes and of discovery answered as the original's did.
      const d = a.verify?.differential;
      expect(d?.against).toBe(original);
      expect(d?.differing).toBe(0);
      expect(d?.identical).toBe(d?.requests.length);
      expect(d?.requests.map((q) => q.request)).toEqual(
        expect.arrayContaining([expect.stringContaining("/health"), expect.stringContaining("/books")]),
      );
      const stop = await stopTime(a.image as string);
      console.log(
        `MEASURED service ${tier} ${(a.sizeBytes ?? 0) / 1e6} MB, ${d?.identical}/${d?.requests.length} requests identical to the original, start-up ${a.verify?.startupMs} ms, docker stop ${stop.ms.toFixed(0)} ms`,
      );
      expect([0, 143]).toContain(stop.exitCode);
    }
  }, 900_000);
});
