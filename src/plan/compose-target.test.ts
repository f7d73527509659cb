/**
 * The stage a project's own compose file builds (#15 item 1), found without
 * --compose: the awesome-compose shape, a root holding compose.yaml whose
 * service builds app/ at `target: builder`, the Dockerfile's last stage a
 * development stage. optimize on the root rewrites app/Dockerfile's builder.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { optimizeProject } from "./optimize.js";
import { type Fixture, writeFixture } from "./testdata/fixtures.js";
import { multiTarget } from "./testdata/real-shapes.js";

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
