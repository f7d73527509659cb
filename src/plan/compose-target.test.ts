/**
 * The stage a project's own compose file builds (#15 item 1), found without
 * --compose: the awesome-compose shape, a root holding compose.yaml whose
 * service builds app/ at `target: builder`, the Dockerfile's last stage a
 * development stage. optimize on the root rewrites app/Dockerfile's builder.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDockerfile } from "../dockerfile/parser.js";
import { optimizeProject } from "./optimize.js";
import { type Fixture, writeFixture } from "./testdata/fixtures.js";
import { composeCommand, multiTarget } from "./testdata/real-shapes.js";

/** multiTarget moved into app/, with the compose file at the root building it. */
const inApp: Fixture = {
  ...Object.fromEntries(
    Object.entries(multiTarget)
      .filter(([f]) => f !== "compose.yaml")
      .map(([f, text]) => [`app/${f}`, text]),
  ),
  "compose.yaml":
    "services:\n  web:\n    build:\n      context: app\n      target: builder\n    # flask stops on SIGINT\n    stop_signal: SIGINT\n    ports:\n      - '8000:8000'\n",
};

async function plan(fx: Fixture, opts: Parameters<typeof optimizeProject>[1] = {}) {
  const { dir, cleanup } = await writeFixture(fx);
  try {
    return { dir, r: await optimizeProject(dir, { planOnly: true, tier: "slim", ...opts }) };
  } finally {
    await cleanup();
  }
}

describe("the compose file's build.target, without --compose", () => {
  it("a root with compose.yaml and app/: app/Dockerfile is rewritten from its builder stage, and the plan says why", async () => {
    const { r } = await plan(inApp);
    expect(r.rewrittenFrom).toMatch(/app\/Dockerfile$/);
    expect(path.basename(path.dirname(r.target))).toBe("app");
    const why = r.decisions.filter((d) => d.topic === "discovery").map((d) => d.text);
    expect(why.join("\n")).toMatch(
      /read for its stage builder \(the build\.target of service web in .*compose\.yaml\)/,
    );
    expect(why.join("\n")).toMatch(/rewriting .*app\/Dockerfile/);
    // The dev stage's Alpine steps are not carried into the Debian runtime.
    expect(r.dockerfile).not.toContain("apk add");
    // compose still builds `target: builder` from the written file: the runtime under that name, last.
    const df = parseDockerfile(r.dockerfile, { file: "Dockerfile" });
    const last = df.stages[df.stages.length - 1];
    expect(last?.name).toBe("builder");
    expect(last?.from.imageRef.raw).toBe("runtime");
    expect(last?.instructions).toEqual([]);
    expect(r.decisions.some((d) => d.topic === "target" && /FROM runtime AS builder/.test(d.text))).toBe(
      true,
    );
  });

  it("a build target the generated file uses for another stage: the plan says what to change", async () => {
    const { r } = await plan({
      ...inApp,
      "compose.yaml": inApp["compose.yaml"]?.replace("target: builder", "target: deps") ?? "",
      "app/Dockerfile": (inApp["app/Dockerfile"] ?? "").replace(/AS builder/i, "AS deps"),
    });
    expect(r.decisions.find((d) => d.topic === "target")?.text).toMatch(
      /a stage deps of its own that is not the app's image: set the build target to runtime/,
    );
  });

  it("the same Dockerfile at the root with its compose.yaml: the builder stage, not dev-envs", async () => {
    const { r } = await plan(multiTarget);
    expect(r.dockerfile).not.toContain("apk add");
    expect(r.decisions.some((d) => /read for its stage builder/.test(d.text))).toBe(true);
  });

  it("--target wins over the compose file; two services building different targets decide nothing", async () => {
    const { r } = await plan(multiTarget, { target: "dev-envs" });
    expect(r.decisions.some((d) => /read for its stage/.test(d.text))).toBe(false);
    const twoTargets: Fixture = {
      ...multiTarget,
      "compose.yaml":
        "services:\n  web:\n    build:\n      context: .\n      target: builder\n  dev:\n    build:\n      context: .\n      target: dev-envs\n",
    };
    const two = await plan(twoTargets);
    expect(two.r.decisions.some((d) => /read for its stage/.test(d.text))).toBe(false);
  });

  it("the service's dependencies become verification's sidecars", async () => {
    const withRedis: Fixture = {
      ...inApp,
      "compose.yaml":
        "services:\n  web:\n    build:\n      context: app\n      target: builder\n    depends_on:\n      - redis\n    ports:\n      - '8000:8000'\n  redis:\n    image: slimstage-test/not-in-the-store:never\n",
    };
    const { r } = await plan(withRedis);
    expect(r.decisions.map((d) => d.text).join("\n")).toMatch(
      /verification starts what service web depends on \(redis\) from .*compose\.yaml as sidecars/,
    );
    // With an engine, the missing image stops the run before the first build: src/plan/flask-redis.engine.test.ts.
  });
});

describe("the compose service's command and ports, without --compose", () => {
  it("optimize flask/ runs what compose runs (gunicorn on 8000), not the Dockerfile's CMD, and says so", async () => {
    const { dir, cleanup } = await writeFixture(composeCommand);
    try {
      const r = await optimizeProject(path.join(dir, "flask"), { planOnly: true, tier: "slim" });
      const argv = ["gunicorn", "-w", "2", "-t", "60", "-b", "0.0.0.0:8000", "app:app"];
      expect(r.project.entry.argv).toEqual(argv);
      expect(r.project.entry.source).toMatch(/^command of service flask-app in .*compose\.yaml$/);
      expect(r.project.port).toBe(8000);
      expect(r.dockerfile).toContain(`CMD ${JSON.stringify(argv).replace(/","/g, '", "')}`);
      expect(r.dockerfile).toMatch(/^EXPOSE 8000$/m);
      // The Dockerfile's 5000 belonged to the CMD that compose replaces.
      expect(r.dockerfile).not.toMatch(/^EXPOSE 5000$/m);
      expect(r.decisions.map((d) => d.text).join("\n")).toMatch(
        /EXPOSE 5000: 5000 not exposed: service flask-app's command replaces the CMD, and the service publishes 8000/,
      );
      const why = r.decisions.map((d) => d.text).join("\n");
      expect(why).toMatch(/replaces \S*Dockerfile's CMD \(python app\.py\) when compose runs it/);
      // The route compose health-checks is the app's health route: the image's HEALTHCHECK requests it.
      expect(r.dockerfile).toContain("http://127.0.0.1:8000/flask-health-check");
      // The rest of the old final stage, as a new user's Dockerfile has it.
      expect(why).toMatch(/RUN export FLASK_APP=app\.py: dropped: an export lasts only for its RUN's shell/);
      expect(r.dockerfile).not.toContain("RUN export");
      // compose's healthcheck runs curl inside the container: Debian's curl stays in the runtime.
      expect(why).toMatch(
        /RUN apk add curl: curl kept \(`curl` is used by the kept steps, the entrypoint, the command or the compose healthcheck\)/,
      );
      expect(r.dockerfile).toContain("apt-get install -y --no-install-recommends curl");
      // The log folder chowned in its own RUN is the app's, and so is the file the kept step put there.
      expect(r.dockerfile).toContain("--chown=10001:10001 /opt/slimstage/empty/ /var/log/flask-app/");
      expect(r.dockerfile).toMatch(
        /RUN mkdir -p \/var\/log\/flask-app && touch \/var\/log\/flask-app\/flask-app\.err\.log\nRUN chown -R app:app \/var\/log\/flask-app\n/,
      );
    } finally {
      await cleanup();
    }
  });

  it("--target other than the service's stage leaves the Dockerfile's own CMD", async () => {
    const { dir, cleanup } = await writeFixture({
      ...composeCommand,
      "compose.yaml":
        composeCommand["compose.yaml"]?.replace(
          "build: flask",
          "build:\n      context: flask\n      target: prod",
        ) ?? "",
      "flask/Dockerfile": `FROM python:3.11-slim AS prod\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "wsgi.py"]\n\nFROM prod AS dev\nCMD ["python", "wsgi.py"]\n`,
    });
    try {
      const r = await optimizeProject(path.join(dir, "flask"), {
        planOnly: true,
        tier: "slim",
        target: "dev",
      });
      expect(r.project.entry.argv).toEqual(["python", "wsgi.py"]);
      const prod = await optimizeProject(path.join(dir, "flask"), { planOnly: true, tier: "slim" });
      expect(prod.project.entry.argv[0]).toBe("gunicorn");
    } finally {
      await cleanup();
    }
  });
});

describe("a development service's command is not the image's", () => {
  it("hit-counter-ts: docker-compose.yml mounts ./src and runs npm run dev; the image runs the Dockerfile's npm start", async () => {
    const r = await optimizeProject(path.resolve(import.meta.dirname, "../../examples/hit-counter-ts"), {
      planOnly: true,
      tier: "distroless",
    });
    expect(r.project.entry.argv).toEqual(["node", "dist/src/server.js"]);
    const why = r.decisions.map((d) => d.text).join("\n");
    expect(why).toMatch(
      /the command of service web_dev in \S*docker-compose\.yml \(npm run dev\) is a development set-up's \(the service mounts host files at \/app\/src\)/,
    );
  });

  it("a watcher without mounts is a development command too; a plain one is taken", async () => {
    const watcher = composeCommand["compose.yaml"]?.replace(
      "command: gunicorn -w 2 -t 60 -b 0.0.0.0:8000 app:app",
      "command: gunicorn --reload -b 0.0.0.0:8000 app:app",
    );
    const { dir, cleanup } = await writeFixture({ ...composeCommand, "compose.yaml": watcher ?? "" });
    try {
      const r = await optimizeProject(path.join(dir, "flask"), { planOnly: true, tier: "slim" });
      expect(r.project.entry.argv).toEqual(["python", "app.py"]);
      expect(r.decisions.some((d) => /it watches the sources/.test(d.text))).toBe(true);
    } finally {
      await cleanup();
    }
  });
});

describe("another distribution's packages in the old final stage", () => {
  it("curl without a use, build tools and libraries are dropped as Debian ones are; an unknown one is dropped, not guessed", async () => {
    const dockerfile =
      composeCommand["flask/Dockerfile"]?.replace(
        "RUN apk add curl",
        "RUN apk add --no-cache curl musl-dev libpq su-exec",
      ) ?? "";
    const compose = composeCommand["compose.yaml"]?.replace(/ {4}healthcheck:\n.*\n.*\n/, "") ?? "";
    const { dir, cleanup } = await writeFixture({
      ...composeCommand,
      "compose.yaml": compose,
      "flask/Dockerfile": dockerfile,
    });
    try {
      const r = await optimizeProject(path.join(dir, "flask"), { planOnly: true, tier: "slim" });
      const why = r.decisions.map((d) => d.text).join("\n");
      expect(why).toMatch(/curl dropped \(none of curl is used/);
      expect(why).toMatch(/musl-dev dropped \(a build tool/);
      expect(why).toMatch(/libpq dropped \(a library/);
      expect(why).toMatch(
        /su-exec dropped \(a package of apk's distribution, whose Debian name slimstage does not know\)/,
      );
      expect(r.dockerfile).not.toContain("install -y --no-install-recommends curl");
    } finally {
      await cleanup();
    }
  });
});
