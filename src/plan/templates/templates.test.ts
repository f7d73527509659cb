import { afterEach, describe, expect, it } from "vitest";
import { expandWord } from "../../dockerfile/expand.js";
import type { Dockerfile, Stage } from "../../dockerfile/model.js";
import { parseDockerfile } from "../../dockerfile/parser.js";
import { buildStageGraph } from "../../dockerfile/stage-graph.js";
import { lintText } from "../../lint/engine.js";
import { detectProject } from "../detect/project.js";
import type { Project } from "../project.js";
import {
  cExtensionProject,
  type Fixture,
  pnpmProject,
  poetryProject,
  typescriptProject,
  writeFixture,
  yarnProject,
} from "../testdata/fixtures.js";
import { planFiles } from "./index.js";
import type { PlannedFiles, TemplateOptions, Tier } from "./text.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function planFor(
  fx: Fixture,
  tier: Tier,
  opts: TemplateOptions = {},
): Promise<{ project: Project; plan: PlannedFiles; df: Dockerfile }> {
  const { dir, cleanup } = await writeFixture(fx);
  cleanups.push(cleanup);
  const project = await detectProject(dir);
  const plan = planFiles(project, tier, opts);
  return { project, plan, df: parseDockerfile(plan.dockerfile, { file: "Dockerfile" }) };
}

function stage(df: Dockerfile, name: string): Stage {
  const s = df.stages.find((x) => x.name === name);
  if (!s) throw new Error(`no stage ${name} in:\n${df.stages.map((x) => x.name).join(", ")}`);
  return s;
}

function text(s: Stage): string {
  return s.instructions.map((i) => i.raw ?? "").join("");
}

/** Checks every generated Dockerfile must pass, whatever the project. */
function commonChecks(plan: PlannedFiles, df: Dockerfile): void {
  // No registry here: no `# syntax=` frontend image, so no heredocs either.
  expect(df.directives.filter((d) => d.name === "syntax")).toEqual([]);
  expect(df.instructions.every((i) => i.heredocs.length === 0)).toBe(true);
  const runtime = df.stages[df.stages.length - 1] as Stage;
  expect(runtime.name).toBe("runtime");
  const user = runtime.instructions.filter((i) => i.keyword === "USER");
  expect(user).toHaveLength(1);
  expect(user[0]?.keyword === "USER" && user[0].user).not.toMatch(/^(root|0)$/);
  const cmd = runtime.instructions.find((i) => i.keyword === "CMD");
  expect(cmd?.keyword === "CMD" && cmd.command.form).toBe("json");
  // The test stage, when there is one, is needed by the default target: a plain build runs the tests.
  if (plan.testStage) {
    const graph = buildStageGraph(df);
    const idx = graph.byName[plan.testStage] as number;
    expect(graph.stages[idx]?.reachable).toBe(true);
    expect(graph.stages[idx]?.reachesFinalImage).toBe(false);
  }
}

describe("python templates", () => {
  it("slim: venv from the exported Poetry lock, tests in their own stage, non-root runtime on the slim base", async () => {
    const { plan, df } = await planFor(poetryProject, "slim");
    commonChecks(plan, df);
    expect(df.stages.map((s) => s.name)).toEqual(["deps", "test", "interpreter", "init", "runtime"]);
    expect(plan.extraFiles["requirements.slimstage.txt"]).toContain("flask==3.1.3\n");
    expect(plan.extraFiles["requirements.slimstage.txt"]).not.toContain("pytest");
    const deps = text(stage(df, "deps"));
    expect(deps).toContain("python -m venv --without-pip /opt/venv");
    expect(deps).toContain("--mount=type=cache,target=/root/.cache/pip");
    expect(deps).not.toMatch(/apt-get|build-essential/);
    expect(text(stage(df, "test"))).toContain("install --no-compile pytest");
    const runtime = stage(df, "runtime");
    // the Debian slim base under the Python image, with the trimmed interpreter copied in
    expect(runtime.from.image).toBe("debian:bookworm-slim");
    expect(stage(df, "interpreter").from.image).toBe("deps");
    expect(text(stage(df, "interpreter"))).toContain("/interp/usr/local/lib/python3.11/ensurepip");
    expect(text(runtime)).toContain("COPY --from=interpreter /interp/usr/local/ /usr/local/");
    const rt = text(runtime);
    expect(rt).toContain("COPY --from=deps /opt/venv /opt/venv");
    expect(rt).toContain("COPY --from=test /app/app.py ./app.py");
    expect(rt).toMatch(/PYTHONDONTWRITEBYTECODE=1/);
    expect(rt).toMatch(/PYTHONUNBUFFERED=1/);
    expect(rt).toContain("EXPOSE 5000");
    // No health route: a TCP connect, never a request to a real route.
    expect(rt).toContain("socket.create_connection(('127.0.0.1', 5000), 3)");
    expect(rt).toContain('ENTRYPOINT ["/usr/bin/tini", "--"]');
    expect(rt).toContain("COPY --from=init /usr/bin/tini /usr/bin/tini");
    expect(rt).toContain("COPY --from=test /app/__pycache__ ./__pycache__");
    expect(text(stage(df, "deps"))).toContain(
      "compileall -q -j 0 --invalidation-mode unchecked-hash /opt/venv",
    );
    expect(plan.dockerignore).toContain(".git\n");
    expect(plan.dockerignore).toContain("**/__pycache__");
  });

  it("slim: a HEALTHCHECK requests a health route, never a probe route that may change state", async () => {
    const health = await planFor(poetryProject, "slim", { healthPath: "/healthz" });
    const hc = stage(health.df, "runtime").instructions.find((i) => i.keyword === "HEALTHCHECK");
    expect(hc?.keyword === "HEALTHCHECK" && hc.command?.form).toBe("json");
    expect(hc?.raw).toContain("http://127.0.0.1:5000/healthz");
    const counter = await planFor(poetryProject, "slim", { healthPath: "/" });
    const hc2 = stage(counter.df, "runtime").instructions.find((i) => i.keyword === "HEALTHCHECK");
    expect(hc2?.raw).not.toContain("urlopen");
    expect(hc2?.raw).toContain("create_connection");
  });

  it("writable folders are owned by the app user in both tiers", async () => {
    for (const tier of ["slim", "distroless"] as const) {
      const { df } = await planFor(poetryProject, tier, {
        writable: [{ path: "/app/media", source: "MEDIA_ROOT in settings.py" }],
      });
      expect(text(stage(df, "runtime"))).toContain(
        "COPY --from=init --chown=10001:10001 /opt/slimstage/empty/ /app/media/",
      );
    }
  });

  it("slim with a C extension: toolchain and headers in deps only, runtime packages from ELF needs", async () => {
    const { plan, df } = await planFor(cExtensionProject, "slim");
    commonChecks(plan, df);
    const deps = text(stage(df, "deps"));
    expect(deps).toContain("apt-get install -y --no-install-recommends build-essential libpq-dev");
    expect(deps).toContain("COPY pgext/ ./pgext/");
    const interp = text(stage(df, "interpreter"));
    expect(interp).toContain("dpkg -S");
    expect(interp).toContain("printf '%s\\n' libpq5");
    const rt = text(stage(df, "runtime"));
    expect(rt).not.toMatch(/build-essential|libpq-dev/);
    expect(rt).toContain("COPY --from=interpreter /opt/slimstage/runtime-packages /tmp/runtime-packages");
    expect(rt).toContain("apt-get install -y --no-install-recommends $(cat /tmp/runtime-packages)");
    // the test requirements file feeds the test stage only
    expect(text(stage(df, "test"))).toContain("-r requirements-dev.txt");
    expect(rt).toContain('CMD ["gunicorn", "--bind", "0.0.0.0:8000", "wsgi:application"]');
  });

  it("distroless: FROM scratch with the interpreter closure, no RUN in the runtime", async () => {
    const { plan, df } = await planFor(poetryProject, "distroless");
    commonChecks(plan, df);
    const runtime = stage(df, "runtime");
    expect(runtime.from.imageRef.scratch).toBe(true);
    expect(runtime.instructions.some((i) => i.keyword === "RUN")).toBe(false);
    expect(text(runtime)).toContain("USER 10001:10001");
    expect(text(runtime)).toContain("SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt");
    const rootfs = text(stage(df, "rootfs"));
    expect(rootfs).toContain("xargs -r ldd");
    expect(rootfs).toContain(
      "rm -rf /rootfs/usr/local/lib/python3.11/test /rootfs/usr/local/lib/python3.11/idlelib",
    );
    expect(rootfs).toContain("ldconfig -r /rootfs");
    expect(rootfs).toContain("app:x:10001:10001");
  });
});

describe("node templates", () => {
  it("slim TypeScript: npm ci, build stage, pruned dev dependencies, compiled output only", async () => {
    const { plan, df } = await planFor(typescriptProject, "slim");
    commonChecks(plan, df);
    expect(df.stages.map((s) => s.name)).toEqual([
      "deps",
      "build",
      "test",
      "prune",
      "init",
      "interpreter",
      "runtime",
    ]);
    expect(stage(df, "runtime").from.image).toBe("debian:bookworm-slim");
    expect(text(stage(df, "runtime"))).toContain(
      "COPY --from=interpreter /usr/local/bin/node /usr/local/bin/node",
    );
    expect(text(stage(df, "test"))).toContain("RUN npm test");
    expect(text(stage(df, "deps"))).toContain("npm ci");
    expect(text(stage(df, "deps"))).toContain("--mount=type=cache,target=/root/.npm");
    expect(text(stage(df, "build"))).toContain("RUN npm run build");
    expect(text(stage(df, "prune"))).toContain("npm prune --omit=dev");
    const rt = text(stage(df, "runtime"));
    expect(rt).toContain("NODE_ENV=production");
    expect(rt).toContain("COPY --from=prune /app/build ./build");
    expect(rt).toContain("COPY --from=prune /app/package.json ./package.json");
    // no production dependencies: no node_modules copied at all
    expect(rt).not.toContain("node_modules");
    expect(plan.dockerignore).toContain("node_modules\n");
    expect(plan.dockerignore).toContain("build\n");
  });

  it("pnpm: frozen lockfile, pinned pnpm, prune --prod, tests before pruning", async () => {
    const { plan, df } = await planFor(pnpmProject, "slim");
    commonChecks(plan, df);
    const deps = text(stage(df, "deps"));
    expect(deps).toContain("npm install -g pnpm@9.15.0");
    expect(deps).toContain("COPY package.json pnpm-lock.yaml ./");
    expect(deps).toContain("pnpm install --frozen-lockfile");
    expect(text(stage(df, "test"))).toContain("RUN pnpm test");
    expect(stage(df, "prune").from.image).toBe("test");
    expect(text(stage(df, "prune"))).toContain("pnpm prune --prod");
    expect(text(stage(df, "runtime"))).toContain("COPY --from=prune /app/node_modules ./node_modules");
  });

  it("yarn classic: frozen lockfile, production reinstall", async () => {
    const { plan, df } = await planFor(yarnProject, "slim");
    commonChecks(plan, df);
    expect(text(stage(df, "deps"))).toContain("yarn install --frozen-lockfile");
    expect(text(stage(df, "prune"))).toContain("yarn install --frozen-lockfile --production");
    expect(text(stage(df, "runtime"))).toContain('CMD ["node", "index.js"]');
  });

  it("distroless: scratch with node's ELF closure", async () => {
    const { plan, df } = await planFor(pnpmProject, "distroless", { healthPath: "/" });
    commonChecks(plan, df);
    const runtime = stage(df, "runtime");
    expect(runtime.from.imageRef.scratch).toBe(true);
    expect(text(runtime)).toContain("ENV NODE_ENV=production PATH=/usr/local/bin");
    expect(text(runtime)).toContain(
      'HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 CMD ["node", "-e"',
    );
    expect(text(stage(df, "rootfs"))).toContain("cp -a --parents /usr/local/bin/node /rootfs/");
  });
});

describe("generated Dockerfiles pass slimstage's own linter", () => {
  const fixtures: Array<[string, Fixture]> = [
    ["poetry", poetryProject],
    ["c-extension", cExtensionProject],
    ["typescript", typescriptProject],
    ["pnpm", pnpmProject],
    ["yarn", yarnProject],
  ];
  for (const [name, fx] of fixtures) {
    for (const tier of ["slim", "distroless"] as const) {
      it(`${name} ${tier}: no warning or error (digest pinning is only info: the local bases have no registry digest)`, async () => {
        const { plan } = await planFor(fx, tier, { healthPath: "/" });
        const result = lintText(plan.dockerfile, {
          file: "Dockerfile",
          env: { dockerignore: plan.dockerignore },
        });
        const serious = result.findings.filter((f) => f.severity !== "info" && f.severity !== "style");
        expect(serious.map((f) => `${f.range.start.line}: ${f.ruleId} ${f.message}`)).toEqual([]);
      });
    }
  }
});

describe("the builder base's ENV the runtime carries", () => {
  // What the local node base sets (the machine's TLS-inspecting proxy), and what must stay behind.
  const baseEnv = [
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "NODE_VERSION=22.23.3",
    "NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt",
    'LANG=en US "quoted" $HOME',
    "NODE_ENV=development",
    "TZ=Europe/Paris",
    "malformed",
  ];

  /** The runtime's ENV, as BuildKit reads the generated line back (quote removal and escapes, slimstage's own lexer). */
  function runtimeEnv(df: Dockerfile): Record<string, string> {
    const out: Record<string, string> = {};
    for (const i of stage(df, "runtime").instructions)
      if (i.keyword === "ENV") for (const p of i.pairs) out[p.key] = expandWord(p.value, () => undefined);
    return out;
  }

  for (const tier of ["slim", "distroless"] as const) {
    it(`node ${tier}: NODE_EXTRA_CA_CERTS, LANG and TZ carried, versions and PATH not, its own NODE_ENV kept`, async () => {
      const { plan, df } = await planFor(typescriptProject, tier, { baseEnv });
      commonChecks(plan, df);
      const env = runtimeEnv(df);
      expect(env.NODE_EXTRA_CA_CERTS).toBe("/etc/ssl/certs/ca-certificates.crt");
      expect(env.LANG).toBe('en US "quoted" $HOME');
      expect(env.TZ).toBe("Europe/Paris");
      expect(env.NODE_ENV).toBe("production");
      expect(env.NODE_VERSION).toBeUndefined();
      if (tier === "slim") expect(env.PATH).toBeUndefined();
      else expect(env.PATH).toBe("/usr/local/bin");
      expect(plan.decisions.map((d) => d.text).join("\n")).toMatch(
        /NODE_EXTRA_CA_CERTS, LANG, TZ are carried from node:\S+.s ENV/,
      );
      // The bundle those name: the builder's, set aside and copied in (distroless: in its rootfs).
      if (tier === "slim") {
        expect(text(stage(df, "interpreter"))).toContain(
          "if [ -f /etc/ssl/certs/ca-certificates.crt ]; then cp /etc/ssl/certs/ca-certificates.crt /opt/slimstage/certs/; fi",
        );
        expect(text(stage(df, "runtime"))).toContain(
          "COPY --from=interpreter /opt/slimstage/certs/ /etc/ssl/certs/",
        );
      } else {
        expect(text(stage(df, "rootfs"))).toContain("/etc/ssl/certs/ca-certificates.crt");
      }
    });
  }

  it("python slim: SSL_CERT_FILE names the bundle copied from the builder; LANG carried", async () => {
    const { plan, df } = await planFor(poetryProject, "slim", {
      baseEnv: ["LANG=C.UTF-8", "PYTHON_VERSION=3.11.2"],
    });
    commonChecks(plan, df);
    const env = runtimeEnv(df);
    expect(env.SSL_CERT_FILE).toBe("/etc/ssl/certs/ca-certificates.crt");
    expect(env.LANG).toBe("C.UTF-8");
    expect(env.PYTHON_VERSION).toBeUndefined();
    expect(text(stage(df, "runtime"))).toContain(
      "COPY --from=interpreter /opt/slimstage/certs/ /etc/ssl/certs/",
    );
  });

  it("nothing carried without a base ENV: the plan says nothing of it", async () => {
    const { plan, df } = await planFor(typescriptProject, "slim");
    expect(Object.keys(runtimeEnv(df))).toEqual(["NODE_ENV"]);
    expect(plan.decisions.some((d) => d.text.includes("carried from"))).toBe(false);
  });
});

describe("--no-cache-mounts: a file any builder takes", () => {
  for (const [name, fx] of [
    ["C extension (apt in the builder)", cExtensionProject],
    ["poetry", poetryProject],
    ["typescript (npm)", typescriptProject],
    ["pnpm", pnpmProject],
    ["yarn", yarnProject],
  ] as const)
    for (const tier of ["slim", "distroless"] as const)
      it(`${name}, ${tier}: no RUN keeps a mount, the header says so, the rest is the same plan`, async () => {
        const withMounts = await planFor(fx, tier);
        const mountsOf = (df: Dockerfile) =>
          df.instructions.flatMap((i) => (i.keyword === "RUN" ? i.mounts.map((m) => m.type) : []));
        // The default plan has them, so their absence below means something.
        expect(mountsOf(withMounts.df)).toContain("cache");
        const { plan, df } = await planFor(fx, tier, { cacheMounts: false });
        commonChecks(plan, df);
        expect(mountsOf(df)).toEqual([]);
        expect(plan.dockerfile).not.toContain("docker-clean");
        expect(plan.dockerfile).toContain("No cache mounts (--no-cache-mounts): any builder takes it");
        expect(plan.decisions.at(-1)?.text).toMatch(/^no BuildKit cache mounts/);
        // Only the mounts went: every stage and every command of the default plan is still there.
        const commands = (d: Dockerfile) =>
          d.instructions.flatMap((i) => (i.keyword === "RUN" ? i.shell.commands.map((c) => c.raw) : []));
        expect(commands(df)).toEqual(commands(withMounts.df).filter((c) => !c.includes("docker-clean")));
        expect(df.stages.map((s) => s.name)).toEqual(withMounts.df.stages.map((s) => s.name));
      });
});
