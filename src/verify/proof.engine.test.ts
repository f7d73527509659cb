/**
 * What "verified" means, on fixture apps that reproduce each failure class
 * of issue #13 (real engine): for each, what a shallow probe says and what
 * liveness, the default HTTP probe and differential verification say.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countByLabel, removeByLabel } from "../engine/cleanup.js";
import { connectEngine } from "../engine/connect.js";
import { verifyAgainst } from "./differential.js";
import { buildProofImages, type ProofStage } from "./testdata/proof-fixtures.js";
import type { VerifyOptions, VerifyResult } from "./types.js";
import { verifyImage } from "./verify.js";

// Our own run's label: other engineers' tests run beside these on the same engine.
const LABELS = { "org.slimstage.test": "proof", "org.slimstage.test-run": randomBytes(4).toString("hex") };
let images: Record<ProofStage, string>;

beforeAll(async () => {
  images = await buildProofImages(LABELS);
}, 600_000);

afterAll(async () => {
  await removeByLabel(await connectEngine(), LABELS, { images: true });
});

async function clean<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } finally {
    const left = await countByLabel(await connectEngine(), LABELS);
    expect({ containers: left.containers, networks: left.networks }).toEqual({ containers: 0, networks: 0 });
  }
}

type Opts = Omit<VerifyOptions, "labels" | "image"> & { image: string };
const verify = (o: Opts): Promise<VerifyResult> =>
  clean(() => verifyImage({ labels: LABELS, timeoutMs: 30_000, livenessMs: 1000, ...o }));
const against = (o: Opts & { against: string }): Promise<VerifyResult> =>
  clean(() => verifyAgainst({ labels: LABELS, timeoutMs: 40_000, livenessMs: 1000, ...o }));

const GUNICORN = (app: string) => ["gunicorn", "-b", "0.0.0.0:8000", "-w", "1", app];
const UVICORN = ["uvicorn", "api_app:app", "--host", "0.0.0.0", "--port", "8000"];

describe("liveness and the default probe", () => {
  it("fails a gunicorn app whose worker dies after the master listens, with the reason", async () => {
    const command = GUNICORN("crash_app:app");
    // The old behaviour: a TCP connect succeeds (the master accepts), and nothing checks after it.
    const shallow = await verify({
      image: images.original,
      command,
      probes: [{ kind: "tcp", port: 8000 }],
      livenessMs: 0,
    });
    expect(shallow.ok).toBe(true);
    // The same probe with the liveness check: the master exits once the worker failed to boot.
    // The grace ends early when the container stops, so a long one costs nothing here and
    // holds on a loaded machine (where the worker's boot takes longer).
    const live = await verify({
      image: images.original,
      command,
      probes: [{ kind: "tcp", port: 8000 }],
      livenessMs: 30_000,
    });
    expect(live.ok).toBe(false);
    expect(live.error).toMatch(
      /^liveness: the container exited with code \d+ within [\d.]+ s after the last request/,
    );
    expect(live.liveness).toMatchObject({ ok: false, graceMs: 30_000 });
    expect(live.logTail?.join("\n")).toMatch(/settings module missing/);
    // The default probe is HTTP: no answer ever comes, and the exit is the reason.
    const auto = await verify({ image: images.original, command, probes: [] });
    expect(auto.ok).toBe(false);
    expect(auto.failedProbe?.probe).toBe("http :8000/");
    expect(auto.failedProbe?.got).toMatch(/exited with code/);
    expect(auto.logTail?.join("\n")).toMatch(/Worker failed to boot|settings module missing/);
  }, 120_000);

  it("verifies an app that needs an environment variable only when it is given", async () => {
    const command = ["python", "env_app.py"];
    const without = await verify({ image: images.original, command, probes: [] });
    expect(without.ok).toBe(false);
    expect(without.logTail?.join("\n")).toMatch(/GREETING is not set/);
    const withEnv = await verify({
      image: images.original,
      command,
      probes: [],
      env: { GREETING: "hello from env" },
    });
    expect(withEnv.error).toBeUndefined();
    expect(withEnv.probes[0]?.detail).toMatch(/hello from env/);
    expect(withEnv.tcpOnly).toBeUndefined();
    expect(withEnv.liveness).toEqual({ ok: true, graceMs: 1000 });
  }, 120_000);

  it("gives a route slower than 5 s its own request timeout", async () => {
    const env = { SLOW_SECONDS: "6" };
    const command = GUNICORN("site_app:app");
    const capped = await verify({
      image: images.original,
      command,
      env,
      probes: [{ kind: "http", port: 8000, path: "/slow" }],
      // Probing starts once the port is open, so the 5 s cap is what fails, not start-up.
      wait: [{ kind: "port", port: 8000 }],
      timeoutMs: 20_000,
    });
    expect(capped.ok).toBe(false);
    expect(capped.error).toMatch(/timed out \(last: no answer within \d+ ms\)/);
    const longer = await verify({
      image: images.original,
      command,
      env,
      probes: [{ kind: "http", port: 8000, path: "/slow", requestTimeoutMs: 10_000, expectBody: "finally" }],
    });
    expect(longer.error).toBeUndefined();
    expect(longer.ok).toBe(true);
  }, 120_000);
});

describe("differential verification", () => {
  const site = { command: GUNICORN("site_app:app"), probes: [] };

  it("passes an identical candidate with the request count, masking the CSRF token and the time", async () => {
    const r = await against({ ...site, image: images.same, against: images.original });
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    const d = r.differential;
    const requests = d?.requests.map((q) => q.request) ?? [];
    expect(requests).toEqual([
      "GET :8000/",
      "GET :8000/static/app.css",
      "GET :8000/static/app.js",
      "GET :8000/static/logo.svg",
      "GET :8000/about",
      "GET :8000/form",
      "GET :8000/upload",
      "GET :8000/search",
      // The pages' POST forms, sent with their own values (the CSRF token of the discovery run; a small file).
      "POST :8000/form",
      "POST :8000/upload",
      "GET :8000/.slimstage-must-not-exist",
      "HEAD :8000/",
    ]);
    expect(d?.requests.find((q) => q.request === "POST :8000/form")?.source).toBe("form on /form");
    expect(d?.identical).toBe(requests.length);
    expect(d?.differing).toBe(0);
    expect(d?.masked.map((m) => m.request)).toEqual(["GET :8000/form"]);
    expect(
      d?.requests.find((q) => q.request === "GET :8000/.slimstage-must-not-exist")?.original.status,
    ).toBe(404);
  }, 180_000);

  it("fails a candidate whose uploads fail (its media folder is not writable for the app), naming the form", async () => {
    const shallow = await verify({ ...site, image: images["readonly-media"] });
    expect(shallow.ok).toBe(true);
    const r = await against({ ...site, image: images["readonly-media"], against: images.original });
    expect(r.ok).toBe(false);
    const bad = r.differential?.requests.filter((q) => q.verdict === "differs");
    expect(bad?.map((q) => `${q.request} [${q.source}]`)).toEqual([
      "POST :8000/upload [upload form on /upload]",
    ]);
    expect(bad?.[0]?.original.status).toBe(200);
    expect(r.error).toMatch(
      /POST :8000\/upload \(upload form on \/upload\): status 500, the original answers 200/,
    );
  }, 180_000);

  it("fails a candidate that lost a stylesheet nobody probed, naming it", async () => {
    // The old behaviour: the page itself still answers.
    const shallow = await verify({
      ...site,
      image: images["lost-asset"],
      probes: [{ kind: "http", port: 8000, path: "/" }],
    });
    expect(shallow.ok).toBe(true);
    const r = await against({ ...site, image: images["lost-asset"], against: images.original });
    expect(r.ok).toBe(false);
    expect(r.differential?.differing).toBe(1);
    const bad = r.differential?.requests.find((q) => q.verdict === "differs");
    expect(bad?.request).toBe("GET :8000/static/app.css");
    expect(bad?.source).toBe("link from /");
    expect(bad?.detail).toBe("status 404, the original answers 200");
    expect(r.error).toMatch(/GET :8000\/static\/app\.css/);
    expect(r.failedProbe?.expected).toMatch(/^200 text\/css/);
  }, 180_000);

  it("fails a candidate whose JSON POST breaks on a lazily loaded charset table, found in the OpenAPI document", async () => {
    const api = { command: UVICORN, probes: [{ kind: "http" as const, port: 8000, path: "/items" }] };
    const shallow = await verify({ ...api, image: images.broken });
    expect(shallow.ok).toBe(true);
    const r = await against({ ...api, image: images.broken, against: images.original });
    expect(r.ok).toBe(false);
    const d = r.differential;
    expect(d?.requests.map((q) => `${q.request} [${q.source}]`)).toEqual([
      "GET :8000/items [probe]",
      "GET :8000/ [default]",
      "GET :8000/openapi.json [openapi document]",
      // A path parameter filled in from its schema.
      "GET :8000/items/1 [openapi /openapi.json]",
      "GET :8000/health [openapi /openapi.json]",
      "POST :8000/notes [openapi /openapi.json]",
      // FastAPI's own documentation pages (their assets come from a CDN, not followed).
      "GET :8000/docs [API documentation page]",
      "GET :8000/redoc [API documentation page]",
      "GET :8000/.slimstage-must-not-exist [must not exist]",
      "HEAD :8000/ [HEAD /]",
    ]);
    const bad = d?.requests.filter((q) => q.verdict === "differs").map((q) => q.request);
    expect(bad).toEqual(["POST :8000/notes"]);
    expect(r.error).toMatch(
      /POST :8000\/notes \(openapi \/openapi\.json\): status 500, the original answers 200/,
    );
  }, 180_000);
});
