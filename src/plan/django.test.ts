/**
 * Plans (no engine) for Django projects (#15 item 2): the server runs the
 * settings' WSGI/ASGI application, manage.py is never the entry without a
 * server subcommand, collectstatic runs in the build iff STATIC_ROOT is set,
 * and hosts no probe can pass are said in a decision. The engine test
 * (django.engine.test.ts) builds and verifies the same fixture.
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseDockerfile } from "../dockerfile/parser.js";
import { assignedValue, staticRootPath, stringList } from "./detect/django.js";
import { detectProject } from "./detect/project.js";
import { optimizeProject } from "./optimize.js";
import type { PythonProject } from "./project.js";
import { servesWithGunicorn } from "./templates/python.js";
import { djangoAsgi, djangoFresh, djangoNoServer, djangoWithWhitenoise } from "./testdata/django-fresh.js";
import { type Fixture, writeFixture } from "./testdata/fixtures.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function detect(fx: Fixture): Promise<PythonProject> {
  const { dir, cleanup } = await writeFixture(fx);
  cleanups.push(cleanup);
  const p = await detectProject(dir);
  if (p.kind !== "python") throw new Error("expected python");
  return p;
}

async function plan(fx: Fixture) {
  const { dir, cleanup } = await writeFixture(fx);
  cleanups.push(cleanup);
  return optimizeProject(dir, { planOnly: true, allTiers: true });
}

const texts = (r: { decisions: Array<{ text: string }> }) => r.decisions.map((d) => d.text).join("\n");

describe("Django settings, read from their text", () => {
  it("assignments: the last one wins, lists span lines, comments are left out", () => {
    const text = `DEBUG = True\nALLOWED_HOSTS = [\n    "a.example",  # the public name\n    '127.0.0.1',\n]\nDEBUG = False\n`;
    expect(assignedValue(text, "DEBUG")).toBe("False");
    expect(stringList(assignedValue(text, "ALLOWED_HOSTS"))).toEqual(["a.example", "127.0.0.1"]);
    expect(stringList('os.environ.get("H", "x").split(",")')).toBeUndefined();
    expect(assignedValue(text, "STATIC_ROOT")).toBeUndefined();
  });

  it("STATIC_ROOT forms: BASE_DIR / ..., os.path.join(BASE_DIR, ...), str(...), a literal path; others unread", () => {
    expect(staticRootPath('BASE_DIR / "staticfiles"', "")).toBe("staticfiles");
    expect(staticRootPath("BASE_DIR / 'static' / 'collected'", "")).toBe("static/collected");
    expect(staticRootPath('os.path.join(BASE_DIR, "static_root")', "")).toBe("static_root");
    expect(staticRootPath('str(BASE_DIR / "staticfiles")', "")).toBe("staticfiles");
    expect(staticRootPath('BASE_DIR / "staticfiles"', "src")).toBe("src/staticfiles");
    expect(staticRootPath('"/var/www/static/"', undefined)).toBe("/var/www/static");
    expect(staticRootPath('os.environ.get("STATIC_ROOT")', "")).toBeUndefined();
    expect(staticRootPath('BASE_DIR / "staticfiles"', undefined)).toBeUndefined();
  });
});

describe("gunicorn's control socket", () => {
  it("both tiers point XDG_RUNTIME_DIR at /tmp when gunicorn serves, and say why", async () => {
    const r = await plan(djangoFresh);
    for (const a of r.attempts) expect(a.dockerfile).toMatch(/^ENV .*XDG_RUNTIME_DIR=\/tmp/m);
    expect(texts(r)).toContain("gunicorn (25.1 and later) opens its control socket");
    expect(servesWithGunicorn(["/opt/venv/bin/gunicorn", "app:app"])).toBe(true);
    expect(servesWithGunicorn(["python3.11", "-m", "gunicorn", "app:app"])).toBe(true);
    expect(servesWithGunicorn(["python", "manage.py", "runserver"])).toBe(false);
    expect(servesWithGunicorn(["uvicorn", "app:app"])).toBe(false);
  });
});

describe("Django entry point", () => {
  it("gunicorn runs WSGI_APPLICATION from the settings that manage.py names", async () => {
    const p = await detect(djangoFresh);
    expect(p.entry.argv).toEqual(["gunicorn", "--bind", "0.0.0.0:8000", "mysite.wsgi:application"]);
    expect(p.entry.source).toContain("WSGI_APPLICATION in mysite/settings.py");
    expect(p.port).toBe(8000);
    expect(p.django?.settingsModule).toBe("mysite.settings");
    expect(p.django?.settingsSource).toBe("DJANGO_SETTINGS_MODULE in manage.py");
    expect(p.usesTzdata).toBe(true);
  });

  it("uvicorn runs the ASGI application (asgi.py) when uvicorn is the server", async () => {
    const p = await detect(djangoAsgi);
    expect(p.entry.argv).toEqual([
      "uvicorn",
      "mysite.asgi:application",
      "--host",
      "0.0.0.0",
      "--port",
      "8000",
    ]);
    expect(p.port).toBe(8000);
  });

  it("ASGI_APPLICATION in the settings wins over gunicorn when uvicorn is there too", async () => {
    const fx = {
      ...djangoFresh,
      "requirements.txt": "Django==5.2.17\ngunicorn==26.2.0\nuvicorn==0.54.0\n",
      "mysite/settings.py": `${djangoFresh["mysite/settings.py"]}ASGI_APPLICATION = "mysite.asgi.application"\n`,
    };
    expect((await detect(fx)).entry.argv[0]).toBe("uvicorn");
    // Without it, gunicorn and WSGI, as startproject's settings say.
    expect(
      (await detect({ ...fx, "mysite/settings.py": djangoFresh["mysite/settings.py"] as string })).entry
        .argv[0],
    ).toBe("gunicorn");
  });

  it("no WSGI_APPLICATION and no manage.py: the one */settings.py, and the wsgi.py beside it", async () => {
    const { "manage.py": _m, ...fx } = djangoFresh;
    const p = await detect({
      ...fx,
      "mysite/settings.py": (fx["mysite/settings.py"] as string).replace(/^WSGI_APPLICATION = .*\n/m, ""),
    });
    expect(p.django?.settingsSource).toBe("mysite/settings.py");
    expect(p.entry.argv).toEqual(["gunicorn", "--bind", "0.0.0.0:8000", "mysite.wsgi:application"]);
    expect(p.entry.source).toContain("mysite/wsgi.py");
  });

  it("manage.py is never the entry without a subcommand: runserver is the last resort, explained", async () => {
    const p = await detect(djangoNoServer);
    expect(p.entry.argv).toEqual(["python", "manage.py", "runserver", "0.0.0.0:8000", "--noreload"]);
    expect(p.port).toBe(8000);
    const r = await plan(djangoNoServer);
    expect(texts(r)).toMatch(/`manage\.py runserver` is Django's development server .* add gunicorn/);
    for (const a of r.attempts) expect(a.dockerfile).not.toContain('CMD ["python", "manage.py"]\n');
  });

  it("a Procfile, --entry and the old CMD still win", async () => {
    const withProcfile = await detect({
      ...djangoFresh,
      Procfile: "web: gunicorn mysite.wsgi --workers 2\n",
    });
    expect(withProcfile.entry.source).toBe("Procfile web");
    const { dir, cleanup } = await writeFixture(djangoFresh);
    cleanups.push(cleanup);
    const p = await detectProject(dir, { entry: ["python", "manage.py", "runserver", "0.0.0.0:9000"] });
    expect(p.entry.source).toBe("--entry");
    expect(p.port).toBe(9000);
  });
});

describe("Django static files", () => {
  it("STATIC_ROOT: collectstatic runs in the app stage with the settings module and placeholders, the folder reaches both tiers", async () => {
    const r = await plan(djangoFresh);
    for (const a of r.attempts) {
      const df = parseDockerfile(a.dockerfile);
      const app = df.stages.find((s) => s.name === "app");
      expect(app).toBeDefined();
      expect(a.dockerfile).toContain(
        "FROM deps AS app\nCOPY . .\nRUN DJANGO_SETTINGS_MODULE=mysite.settings DJANGO_SECRET_KEY=slimstage-collectstatic python manage.py collectstatic --noinput\n",
      );
      const runtime = a.dockerfile.slice(a.dockerfile.lastIndexOf("\nFROM "));
      expect(runtime).toContain("COPY --from=app /app/staticfiles ./staticfiles");
      // The placeholder is on the step, never in the image's environment.
      expect(runtime).not.toContain("DJANGO_SECRET_KEY");
    }
    expect(r.dockerignore.split("\n")).toContain("staticfiles");
    const t = texts(r);
    expect(t).toMatch(/STATIC_ROOT in mysite\/settings\.py: the build runs `collectstatic --noinput`/);
    expect(t).toContain("a placeholder for DJANGO_SECRET_KEY");
    expect(t).toContain("mysite/urls.py serves STATIC_ROOT with django.views.static.serve");
  });

  it("collectstatic runs in the test stage when there are tests (the runtime copies from it)", async () => {
    const r = await plan({ ...djangoFresh, "pages/test_views.py": "def test_nothing():\n    assert True\n" });
    const df = r.attempts[0]?.dockerfile ?? "";
    expect(df).toMatch(
      /FROM deps AS test\n[\s\S]*COPY \. \.\nRUN DJANGO_SETTINGS_MODULE=\S+ \S+ python manage\.py collectstatic --noinput\nRUN python -m pytest/,
    );
    expect(df).toContain("COPY --from=test /app/staticfiles ./staticfiles");
  });

  it("no STATIC_ROOT: no collectstatic step and no collected folder", async () => {
    const r = await plan(djangoAsgi);
    for (const a of r.attempts) {
      expect(a.dockerfile).not.toContain("collectstatic");
      expect(a.dockerfile).not.toContain("staticfiles");
    }
  });

  it("whitenoise in MIDDLEWARE: the app serves the files itself, and the plan says so", async () => {
    const r = await plan(djangoWithWhitenoise);
    expect(texts(r)).toContain(
      "WhiteNoiseMiddleware is in the settings: the app serves /app/staticfiles itself",
    );
    const unused = await plan({
      ...djangoWithWhitenoise,
      "mysite/settings.py": djangoFresh["mysite/settings.py"] as string,
    });
    expect(texts(unused)).toContain(
      "whitenoise is a dependency but WhiteNoiseMiddleware is not in MIDDLEWARE",
    );
  });

  it("a STATIC_ROOT it cannot read: no collectstatic, and a decision naming the assignment", async () => {
    const r = await plan({
      ...djangoFresh,
      "mysite/settings.py": (djangoFresh["mysite/settings.py"] as string).replace(
        /^STATIC_ROOT = .*$/m,
        'STATIC_ROOT = os.environ.get("STATIC_ROOT")',
      ),
    });
    expect(r.dockerfile).not.toContain("collectstatic");
    expect(texts(r)).toContain(
      'STATIC_ROOT = os.environ.get("STATIC_ROOT") is not a folder slimstage can read',
    );
  });
});

describe("Django ALLOWED_HOSTS", () => {
  it("DEBUG off and hosts without '*': the probes would get 400, said in a decision; the settings are left alone", async () => {
    const r = await plan(djangoAsgi);
    expect(texts(r)).toMatch(
      /ALLOWED_HOSTS = \["mysite\.example", "127\.0\.0\.1"\] with DEBUG = False in mysite\/settings\.py lets no request through whose Host is the container's own address.*400 \(DisallowedHost\).*--header 'Host: mysite\.example'/,
    );
    expect(r.extraFiles).toEqual({});
  });

  it("startproject's own DEBUG = True with an empty list allows loopback only; DEBUG = True is said too", async () => {
    const r = await plan({
      ...djangoFresh,
      "mysite/settings.py": (djangoFresh["mysite/settings.py"] as string)
        .replace(/^DEBUG = .*$/m, "DEBUG = True")
        .replace(/^ALLOWED_HOSTS = .*$/m, "ALLOWED_HOSTS = []"),
    });
    const t = texts(r);
    expect(t).toContain("(127.0.0.1 through a published port is allowed)");
    expect(t).toContain("DEBUG = True in mysite/settings.py");
  });

  it("hosts from the environment: the decision names the variable to pass with --env", async () => {
    expect(texts(await plan(djangoFresh))).toContain(
      "ALLOWED_HOSTS is read from the environment (DJANGO_ALLOWED_HOSTS)",
    );
  });

  it("'*' needs no decision", async () => {
    const r = await plan({
      ...djangoFresh,
      "mysite/settings.py": (djangoFresh["mysite/settings.py"] as string).replace(
        /^ALLOWED_HOSTS = .*$/m,
        'ALLOWED_HOSTS = ["*"]',
      ),
    });
    expect(r.decisions.some((d) => d.topic === "allowed-hosts")).toBe(false);
  });
});
