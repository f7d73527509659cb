/**
 * optimize on a fresh Django project (#15 item 2), against the real engine:
 * the startproject layout with no Dockerfile, gunicorn running
 * WSGI_APPLICATION, collectstatic in the build (manifest storage: the page
 * cannot render without it), the admin, USE_TZ. Both tiers are built and
 * verified on several routes: the template page, the collected CSS under
 * STATIC_URL (the app's own and the admin's), and /admin/login/. The secret
 * key and the allowed hosts reach the verified containers through `env`, as
 * `--env` does. Each image is stopped with `docker stop` (exit by SIGTERM,
 * never 137). Everything carries this run's own label and is removed.
 */
import { afterAll, describe, expect, it } from "vitest";
import { countByLabel } from "../engine/cleanup.js";
import { connectEngine } from "../engine/connect.js";
import type { Probe } from "../verify/types.js";
import { optimizeProject } from "./optimize.js";
import { engineRun } from "./test-helpers/engine-run.js";
import { djangoFresh } from "./testdata/django-fresh.js";

const t = engineRun("plan-django");
const { labels: LABELS, run: RUN, attempt, stopTime } = t;

afterAll(() => t.cleanup());

const PROBES: Probe[] = [
  // The page links the hashed CSS name from collectstatic's manifest, and shows the time in TIME_ZONE.
  { kind: "http", port: 8000, path: "/", expectStatus: 200, expectBody: "Hello from mysite" },
  { kind: "http", port: 8000, path: "/", expectStatus: 200, expectBody: "in Europe/Berlin" },
  {
    kind: "http",
    port: 8000,
    path: "/static/pages/site.css",
    expectStatus: 200,
    expectBody: "font-family: sans-serif",
  },
  { kind: "http", port: 8000, path: "/static/admin/css/base.css", expectStatus: 200 },
  { kind: "http", port: 8000, path: "/admin/login/", expectStatus: 200, expectBody: 'name="username"' },
];

describe("optimize on a fresh Django project (startproject layout, no Dockerfile)", () => {
  it("gunicorn with WSGI_APPLICATION, collectstatic in the build: both tiers verified on the page, the CSS and the admin", async () => {
    const dir = await t.dirOf(djangoFresh);
    const env = { DJANGO_SECRET_KEY: "engine-test-only", DJANGO_ALLOWED_HOSTS: "*" };
    const r = await optimizeProject(dir, {
      allTiers: true,
      probes: PROBES,
      labels: LABELS,
      repository: `slimstage-test/plan-django-${RUN}`,
      env,
    });
    expect(r.project.entry.argv).toEqual(["gunicorn", "--bind", "0.0.0.0:8000", "mysite.wsgi:application"]);
    for (const tier of ["distroless", "slim"] as const) {
      const a = attempt(r, tier);
      expect(a.reason).toBeUndefined();
      expect(a.status).toBe("verified");
      expect(a.dockerfile).toContain("python manage.py collectstatic --noinput");
      const stop = await stopTime(a.image as string, env);
      console.log(
        `MEASURED django ${tier} ${((a.sizeBytes ?? 0) / 1e6).toFixed(1)} MB, build ${((a.buildMs ?? 0) / 1000).toFixed(0)} s, start-up ${a.verify?.startupMs} ms, docker stop ${stop.ms.toFixed(0)} ms exit ${stop.exitCode}`,
      );
      expect([0, 143]).toContain(stop.exitCode);
      // gunicorn 26's control socket under the user without a home: the runtime's XDG_RUNTIME_DIR=/tmp.
      expect(stop.logs).toContain("Listening at");
      expect(stop.logs).not.toContain("Control server error");
    }
  }, 1_800_000);

  it("leaves nothing behind: no container, network or image with this run's label", async () => {
    await t.cleanup();
    expect(await countByLabel(await connectEngine(), LABELS)).toEqual({
      containers: 0,
      networks: 0,
      images: 0,
    });
    const tagged = await (await connectEngine()).docker.listImages({
      filters: JSON.stringify({ reference: [`slimstage-test/plan-django-${RUN}`] }),
    });
    expect(tagged).toEqual([]);
  });
});
