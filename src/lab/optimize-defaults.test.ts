/**
 * Detection and planning on the repository's lab examples (no engine), with the
 * defaults lab.yaml hands to optimize: its probe decides the HEALTHCHECK route.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type OptimizeOptions, optimizeProject } from "../plan/optimize.js";
import { findLabOptimizeDefaults } from "./optimize-defaults.js";

const EXAMPLES = path.resolve(import.meta.dirname, "../../examples");

/** optimize's plan for a lab example, with what its lab.yaml says as defaults (as the CLI and lab do). */
async function planLab(rel: string, opts: OptimizeOptions) {
  const dir = path.join(EXAMPLES, rel);
  const defaults = await findLabOptimizeDefaults(dir);
  return optimizeProject(dir, { ...opts, planOnly: true, ...(defaults ? { defaults } : {}) });
}

describe("optimize plans for the lab examples", () => {
  it("lab-000: Flask hello on port 5000; its probe path / is not a health route, so HEALTHCHECK connects", async () => {
    const r = await planLab("lab-000", { tier: "slim" });
    expect(r.project.kind).toBe("python");
    expect(r.project.entry.argv).toEqual(["python", "app.py"]);
    expect(r.project.port).toBe(5000);
    expect(r.dockerfile).toContain("COPY --from=test /app/app.py ./app.py");
    expect(r.dockerfile).not.toContain("urlopen('http://127.0.0.1:5000/'");
    expect(r.dockerfile).toContain("create_connection(('127.0.0.1', 5000), 3)");
  });

  it("lab-001: pytest from requirements.txt stays out of the runtime venv; /health is the health route", async () => {
    const r = await planLab("lab-001/app", { tier: "slim" });
    expect(r.project.kind === "python" && r.project.healthPath).toBe("/health");
    expect(r.dockerfile).toMatch(/grep -viE '\^\[\[:space:\]\]\*\(pytest\)/);
    expect(r.dockerfile).toContain("http://127.0.0.1:5000/health");
  });

  it("lab-003: the C extension against libpq gets a toolchain in deps and libpq5 from ELF needs", async () => {
    const r = await planLab("lab-003", { tier: "slim" });
    expect(r.project.native.buildPackages).toEqual(["build-essential", "libpq-dev"]);
    expect(r.project.native.runtimePackages).toEqual(["libpq5"]);
    expect(r.project.kind === "python" && r.project.deps.localPaths).toEqual(["pqver"]);
    expect(r.rewrittenFrom).toMatch(/lab-003\/Dockerfile$/);
  });

  it("lab-004: a script without dependencies", async () => {
    const r = await planLab("lab-004", { tier: "distroless" });
    expect(r.project.entry.argv).toEqual(["python", "app.py"]);
    expect(r.dockerfile).toContain("FROM scratch AS runtime");
  });

  it("hit-counter-ts: npm start resolves to node, tests run before pruning, compiled tests dropped", async () => {
    const r = await planLab("hit-counter-ts", { tier: "distroless" });
    expect(r.project.kind).toBe("node");
    expect(r.project.entry.argv).toEqual(["node", "dist/src/server.js"]);
    expect(r.project.port).toBe(3000);
    expect(r.project.kind === "node" && r.project.build?.outDir).toBe("dist");
    expect(r.dockerfile).toContain("FROM test AS prune");
    expect(r.dockerfile).toContain("http://127.0.0.1:3000/health");
    // the dev Dockerfile's ENV PORT is an app setting: kept
    expect(r.dockerfile).toContain("ENV PORT=3000\n");
  });
});

describe("optimize's defaults from lab.yaml", () => {
  it("a lab's app folder finds the lab.yaml one level up: its probe and the sidecars of its last variant with compose", async () => {
    const d = await findLabOptimizeDefaults(path.join(EXAMPLES, "lab-001/app"));
    expect(d?.healthPath).toBe("/");
    expect(d?.probes?.[0]).toMatchObject({ kind: "http", port: 5000, path: "/" });
    expect(d?.compose?.file).toBe(path.join(EXAMPLES, "lab-001/docker-compose.prod.yml"));
    const ts = await findLabOptimizeDefaults(path.join(EXAMPLES, "hit-counter-ts"));
    expect(ts?.compose).toEqual({
      file: path.join(EXAMPLES, "hit-counter-ts/docker-compose.prod.yml"),
      service: "web_prod",
    });
  });

  it("a folder that is no lab gives nothing", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "slimstage-nolab-"));
    try {
      await writeFile(path.join(dir, "app.py"), "print('hi')\n");
      expect(await findLabOptimizeDefaults(dir)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("optimize itself reads no lab.yaml: lab-004 (no port) has no probe without the lab's command probe", async () => {
    const dir = path.join(EXAMPLES, "lab-004");
    const d = await findLabOptimizeDefaults(dir);
    expect(d?.commandProbe).toBeDefined();
    await expect(optimizeProject(dir, { tier: "distroless" })).rejects.toThrow(
      /no probe to verify the image with/,
    );
  });
});
