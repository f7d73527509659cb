/**
 * optimize on real frameworks' shapes (#15 item 2), against the real engine.
 * A real Next.js 16 app with standalone output: the original image is built
 * from the project's own Dockerfile, then optimize rewrites that Dockerfile
 * and also plans one from scratch (no Dockerfile); every tier of both must
 * answer like the original on the whole discovered request set (the page, the
 * /_next/static chunks it loads, the public/ file, the API route, a path that
 * does not exist). Each verified image is also stopped with `docker stop`: the
 * app must end by the forwarded SIGTERM (exit 0 or 143), not be killed (137).
 * A real NestJS 11 app whose Dockerfile starts it through
 * `sh -c "npm run start:prod"`: the rewrite runs `node dist/main` itself in
 * both tiers and answers a POST with a JSON body like the original; a start
 * command that only a shell can run fails distroless and falls back to slim.
 * Everything is labelled with this run's own label and removed afterwards.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildImage } from "../engine/build/build.js";
import { countByLabel } from "../engine/cleanup.js";
import { connectEngine } from "../engine/connect.js";
import { findEngineImage } from "../engine/images.js";
import type { Probe } from "../verify/types.js";
import { optimizeProject, type TierAttempt } from "./optimize.js";
import { engineRun } from "./test-helpers/engine-run.js";
import { writeFixture } from "./testdata/fixtures.js";
import { nestApp } from "./testdata/nest-app.js";
import { nextServerWithDockerfile } from "./testdata/next-server.js";
import { nextStandaloneWithDockerfile } from "./testdata/next-standalone.js";

// This run's own label: other engineers' engine tests share the engine.
const t = engineRun("plan-frameworks");
const { labels: LABELS, run: RUN, tags, cleanups, attempt, stopTime } = t;

afterAll(() => t.cleanup());

/**
 * The image's own HEALTHCHECK status after it had time for its first checks: it
 * connects to 127.0.0.1, which an app bound to one address only never answers.
 */
async function healthOf(image: string): Promise<string> {
  const engine = await connectEngine();
  const c = await engine.docker.createContainer({ Image: image, Labels: LABELS });
  try {
    await c.start();
    let status = "none";
    for (let i = 0; i < 60; i++) {
      status = (await c.inspect()).State.Health?.Status ?? "none";
      if (status === "healthy" || status === "unhealthy") break;
      await new Promise((r) => setTimeout(r, 500));
    }
    return status;
  } finally {
    await c.remove({ force: true });
  }
}

/** The runtime stage of a generated Dockerfile (from its last FROM). */
function runtimeStage(dockerfile: string): string {
  return dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
}

/**
 * A verified tier that answered every request like the original, among them one matching
 * each pattern (`REQUEST STATUS VERDICT`); its differential evidence.
 */
function expectIdentical(a: TierAttempt, patterns: readonly RegExp[]) {
  expect(a.reason).toBeUndefined();
  expect(a.status).toBe("verified");
  const diff = a.verify?.differential;
  expect(diff?.differing).toBe(0);
  const answered = (diff?.requests ?? []).map((r) => `${r.request} ${r.original.status} ${r.verdict}`);
  for (const re of patterns)
    expect(
      answered.some((x) => re.test(x)),
      answered.join("\n"),
    ).toBe(true);
  return diff;
}

/** Checks a verified tier and prints its figures; returns them for the table. */
async function checkTier(name: string, a: TierAttempt): Promise<void> {
  const diff = expectIdentical(a, [
    /^GET :3000\/ 200 identical/,
    /^GET :3000\/_next\/static\/chunks\/\S+\.js 200 identical/,
    /^GET :3000\/shelf\.svg 200 identical/,
    /^GET :3000\/api\/greeting\?name=probe 200 identical/,
    /^GET :3000\/\.slimstage-must-not-exist 404 identical/,
  ]);
  // server.js binds to $HOSTNAME: the runtime must make it all addresses, or this check never passes.
  expect(await healthOf(a.image as string)).toBe("healthy");
  const stop = await stopTime(a.image as string);
  const original = diff?.originalRuns[0]?.startupMs;
  const startup = a.verify?.startupMs;
  console.log(
    `MEASURED ${name} ${a.tier} ${((a.sizeBytes ?? 0) / 1e6).toFixed(1)} MB, start-up ${startup} ms (original ${original} ms, ratio ${startup && original ? (startup / original).toFixed(2) : "?"}), docker stop ${stop.ms.toFixed(0)} ms exit ${stop.exitCode}, ${diff?.requests.length} requests identical`,
  );
  expect([0, 143]).toContain(stop.exitCode);
}

const PROBES: Probe[] = [
  { kind: "http", port: 3000, path: "/", expectStatus: 200, expectBody: "Book shelf" },
  {
    kind: "http",
    port: 3000,
    path: "/api/greeting?name=probe",
    expectStatus: 200,
    expectJson: [{ path: "greeting", value: "hello probe" }],
  },
];

describe("optimize on a real Next.js standalone app", () => {
  let dir = "";
  let original = "";

  beforeAll(async () => {
    const fx = await writeFixture(nextStandaloneWithDockerfile);
    cleanups.push(fx.cleanup);
    dir = fx.dir;
    // The project's own image: what every optimized tier must answer like.
    original = `slimstage-test/plan-next-original-${RUN}:latest`;
    tags.push(original);
    const built = await buildImage({ context: dir, tags: [original], labels: LABELS });
    const size = (await findEngineImage(built.imageId, await connectEngine()))?.size ?? 0;
    console.log(`MEASURED next original ${(size / 1e6).toFixed(1)} MB, ${built.durationMs} ms build`);
  }, 900_000);

  it("rewrite of its own Dockerfile (user, chown .next, COPY --chown): both tiers answer like the original", async () => {
    const r = await optimizeProject(dir, {
      allTiers: true,
      against: original,
      probes: PROBES,
      labels: LABELS,
      repository: `slimstage-test/plan-next-rewrite-${RUN}`,
    });
    expect(r.rewrittenFrom).toBeDefined();
    for (const tier of ["distroless", "slim"] as const) {
      const a = attempt(r, tier);
      const rt = runtimeStage(a.dockerfile);
      expect(rt).toContain("COPY --from=prune /app/.next/standalone/ ./");
      expect(rt).toContain("COPY --from=prune /app/.next/static ./.next/static");
      expect(rt).toContain("COPY --from=prune /app/public ./public");
      expect(rt).toContain('CMD ["node", "server.js"]');
      expect(rt).not.toMatch(/chown shelf|--chown=shelf|\bnpm\b|\bsh -c\b/);
      expect(a.dockerfile).not.toMatch(/\bdist\b/);
      await checkTier("next rewrite", a);
    }
  }, 1_800_000);

  it("fresh (no Dockerfile): both tiers answer like the original", async () => {
    await rm(path.join(dir, "Dockerfile"));
    const r = await optimizeProject(dir, {
      allTiers: true,
      against: original,
      probes: PROBES,
      labels: LABELS,
      repository: `slimstage-test/plan-next-fresh-${RUN}`,
    });
    expect(r.rewrittenFrom).toBeUndefined();
    for (const tier of ["distroless", "slim"] as const) {
      const a = attempt(r, tier);
      expect(runtimeStage(a.dockerfile)).toContain('CMD ["node", "server.js"]');
      await checkTier("next fresh", a);
    }
  }, 1_800_000);
});

const NEXT_SERVER_PROBES: Probe[] = [
  { kind: "http", port: 3000, path: "/", expectStatus: 200, expectBody: "Lamp shop" },
  { kind: "http", port: 3000, path: "/lamp.svg", expectStatus: 200, expectBody: "<circle" },
  {
    kind: "http",
    port: 3000,
    path: "/api/stock?item=probe",
    expectStatus: 200,
    expectJson: [
      { path: "item", value: "probe" },
      { path: "server", value: "next start" },
    ],
  },
];

describe("optimize on a real Next.js app without standalone output (next build + next start)", () => {
  it("fresh (no Dockerfile): node runs next start in both tiers, which answer like the project's own npm start image", async () => {
    const fx = await writeFixture(nextServerWithDockerfile);
    cleanups.push(fx.cleanup);
    const original = `slimstage-test/plan-next-server-original-${RUN}:latest`;
    tags.push(original);
    const built = await buildImage({ context: fx.dir, tags: [original], labels: LABELS });
    const size = (await findEngineImage(built.imageId, await connectEngine()))?.size ?? 0;
    console.log(`MEASURED next-server original ${(size / 1e6).toFixed(1)} MB, ${built.durationMs} ms build`);
    const originalStop = await stopTime(original);
    console.log(
      `MEASURED next-server original docker stop ${originalStop.ms.toFixed(0)} ms exit ${originalStop.exitCode}`,
    );
    await rm(path.join(fx.dir, "Dockerfile"));
    const r = await optimizeProject(fx.dir, {
      allTiers: true,
      against: original,
      probes: NEXT_SERVER_PROBES,
      labels: LABELS,
      repository: `slimstage-test/plan-next-server-${RUN}`,
    });
    expect(r.project.entry.argv).toEqual(["node", "node_modules/next/dist/bin/next", "start", "-p", "3000"]);
    for (const tier of ["distroless", "slim"] as const) {
      const a = attempt(r, tier);
      const rt = runtimeStage(a.dockerfile);
      expect(rt).toContain("COPY --from=prune /app/node_modules ./node_modules");
      expect(rt).toContain("COPY --from=prune /app/.next ./.next");
      expect(rt).toContain('CMD ["node", "node_modules/next/dist/bin/next", "start", "-p", "3000"]');
      expect(rt).not.toMatch(/\bnpm\b|"sh"/);
      const diff = expectIdentical(a, [
        /^GET :3000\/ 200 identical/,
        /^GET :3000\/_next\/static\/chunks\/\S+\.js 200 identical/,
        /^GET :3000\/lamp\.svg 200 identical/,
        /^GET :3000\/api\/stock\?item=probe 200 identical/,
      ]);
      const stop = await stopTime(a.image as string);
      const orig = diff?.originalRuns[0]?.startupMs;
      const startup = a.verify?.startupMs;
      console.log(
        `MEASURED next-server fresh ${tier} ${((a.sizeBytes ?? 0) / 1e6).toFixed(1)} MB, start-up ${startup} ms (original ${orig} ms), docker stop ${stop.ms.toFixed(0)} ms exit ${stop.exitCode}, ${diff?.requests.length} requests identical`,
      );
      expect([0, 143]).toContain(stop.exitCode);
    }
  }, 2_400_000);
});

const BOOK = '{"title":"The Long Book","pages":512}';
const NEST_PROBES: Probe[] = [
  {
    kind: "http",
    port: 3000,
    path: "/health",
    expectStatus: 200,
    expectJson: [{ path: "status", value: "ok" }],
  },
  {
    kind: "http",
    port: 3000,
    path: "/books",
    method: "POST",
    headers: { "content-type": "application/json" },
    body: BOOK,
    expectStatus: 201,
    expectContentType: "application/json",
    expectJson: [
      { path: "slug", value: "the-long-book" },
      { path: "long", value: "true" },
    ],
  },
];

describe('optimize on a real NestJS app started through sh -c "npm run start:prod"', () => {
  let dir = "";
  let original = "";

  beforeAll(async () => {
    const fx = await writeFixture(nestApp);
    cleanups.push(fx.cleanup);
    dir = fx.dir;
    original = `slimstage-test/plan-nest-original-${RUN}:latest`;
    tags.push(original);
    const built = await buildImage({ context: dir, tags: [original], labels: LABELS });
    const size = (await findEngineImage(built.imageId, await connectEngine()))?.size ?? 0;
    console.log(`MEASURED nest original ${(size / 1e6).toFixed(1)} MB, ${built.durationMs} ms build`);
  }, 900_000);

  it("the rewrite runs node dist/main itself: both tiers answer the POST JSON route like the original", async () => {
    const r = await optimizeProject(dir, {
      allTiers: true,
      against: original,
      probes: NEST_PROBES,
      labels: LABELS,
      repository: `slimstage-test/plan-nest-rewrite-${RUN}`,
    });
    expect(r.project.entry.argv).toEqual(["node", "dist/main"]);
    for (const tier of ["distroless", "slim"] as const) {
      const a = attempt(r, tier);
      const rt = runtimeStage(a.dockerfile);
      expect(rt).toContain('CMD ["node", "dist/main"]');
      expect(rt).not.toMatch(/\bnpm\b|"sh"/);
      // The project's own check (exactly 200), in exec form: it runs in distroless too.
      expect(rt).toContain('HEALTHCHECK --interval=2s --retries=5 CMD ["node", "healthcheck.js"]');
      expect(a.reason).toBeUndefined();
      expect(a.status).toBe("verified");
      expect(await healthOf(a.image as string)).toBe("healthy");
      const diff = a.verify?.differential;
      expect(diff?.differing).toBe(0);
      const post = diff?.requests.find((x) => x.request.startsWith("POST :3000/books"));
      expect(post?.original.status).toBe(201);
      expect(post?.verdict).toBe("identical");
      const stop = await stopTime(a.image as string);
      const orig = diff?.originalRuns[0]?.startupMs;
      const startup = a.verify?.startupMs;
      console.log(
        `MEASURED nest rewrite ${tier} ${((a.sizeBytes ?? 0) / 1e6).toFixed(1)} MB, start-up ${startup} ms (original ${orig} ms, ratio ${startup && orig ? (startup / orig).toFixed(2) : "?"}), docker stop ${stop.ms.toFixed(0)} ms exit ${stop.exitCode}, ${diff?.requests.length} requests identical`,
      );
      expect([0, 143]).toContain(stop.exitCode);
    }
  }, 1_800_000);

  it("fresh (no Dockerfile): nest start resolves to node dist/main; both tiers answer like the original", async () => {
    const { Dockerfile: _df, ...fx } = nestApp;
    const fresh = await writeFixture(fx);
    cleanups.push(fresh.cleanup);
    const r = await optimizeProject(fresh.dir, {
      allTiers: true,
      against: original,
      probes: NEST_PROBES,
      labels: LABELS,
      repository: `slimstage-test/plan-nest-fresh-${RUN}`,
    });
    expect(r.rewrittenFrom).toBeUndefined();
    for (const tier of ["distroless", "slim"] as const) {
      const a = attempt(r, tier);
      expect(runtimeStage(a.dockerfile)).toContain('CMD ["node", "dist/main"]');
      expect(a.reason).toBeUndefined();
      expect(a.status).toBe("verified");
      expect(a.verify?.differential?.differing).toBe(0);
      const post = a.verify?.differential?.requests.find((x) => x.request.startsWith("POST :3000/books"));
      expect(post?.verdict).toBe("identical");
      const stop = await stopTime(a.image as string);
      console.log(
        `MEASURED nest fresh ${tier} ${((a.sizeBytes ?? 0) / 1e6).toFixed(1)} MB, docker stop ${stop.ms.toFixed(0)} ms exit ${stop.exitCode}`,
      );
      expect([0, 143]).toContain(stop.exitCode);
    }
  }, 1_800_000);

  it("a start command only a shell can run: distroless cannot start it, the run falls back to slim", async () => {
    // A redirect cannot be resolved to a plain argv: the command keeps its shell, which scratch lacks.
    const r = await optimizeProject(dir, {
      detect: { entry: ["sh", "-c", "node dist/main 2>&1"] },
      probes: NEST_PROBES,
      labels: LABELS,
      repository: `slimstage-test/plan-nest-fallback-${RUN}`,
    });
    const distroless = attempt(r, "distroless");
    const slim = attempt(r, "slim");
    expect(distroless.status).toBe("verify-failed");
    // The reason carries the app's own last words, not only "no address" or "exited".
    expect(distroless.reason).toMatch(/exec sh failed|"?sh"?: (executable file )?not found|No such file/);
    expect(slim.reason).toBeUndefined();
    expect(slim.status).toBe("verified");
    expect(r.ok).toBe(true);
    expect(r.tier).toBe("slim");
    console.log(`MEASURED nest fallback: distroless ${distroless.status}: ${distroless.reason}`);
  }, 1_800_000);
});

describe("cleanup", () => {
  it("leaves nothing behind: no container, network or image with this run's label", async () => {
    await t.cleanup();
    expect(await countByLabel(await connectEngine(), LABELS)).toEqual({
      containers: 0,
      networks: 0,
      images: 0,
    });
  });
});
