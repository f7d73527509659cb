/** Detection and planning on the repository's lab examples (no engine). */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { optimizeProject } from "./optimize.js";

const EXAMPLES = path.resolve(import.meta.dirname, "../../examples");

describe("optimize plans for the lab examples", () => {
  it("lab-000: Flask hello on port 5000; its probe path / is not a health route, so HEALTHCHECK connects", async () => {
    const r = await optimizeProject(path.join(EXAMPLES, "lab-000"), { planOnly: true, tier: "slim" });
    expect(r.project.kind).toBe("python");
    expect(r.project.entry.argv).toEqual(["python", "app.py"]);
    expect(r.project.port).toBe(5000);
    expect(r.dockerfile).toContain("COPY --from=test /app/app.py ./app.py");
    expect(r.dockerfile).not.toContain("urlopen('http://127.0.0.1:5000/'");
    expect(r.dockerfile).toContain("create_connection(('127.0.0.1', 5000), 3)");
  });

  it("lab-001: pytest from requirements.txt stays out of the runtime venv; /health is the health route", async () => {
    const r = await optimizeProject(path.join(EXAMPLES, "lab-001/app"), { planOnly: true, tier: "slim" });
    expect(r.project.kind === "python" && r.project.healthPath).toBe("/health");
    expect(r.dockerfile).toMatch(/grep -viE '\^\[\[:space:\]\]\*\(pytest\)/);
    expect(r.dockerfile).toContain("http://127.0.0.1:5000/health");
  });

  it("lab-003: the C extension against libpq gets a toolchain in deps and libpq5 from ELF needs", async () => {
    const r = await optimizeProject(path.join(EXAMPLES, "lab-003"), { planOnly: true, tier: "slim" });
    expect(r.project.native.buildPackages).toEqual(["build-essential", "libpq-dev"]);
    expect(r.project.native.runtimePackages).toEqual(["libpq5"]);
    expect(r.project.kind === "python" && r.project.deps.localPaths).toEqual(["pqver"]);
    expect(r.rewrittenFrom).toMatch(/lab-003\/Dockerfile$/);
  });

  it("lab-004: a script without dependencies", async () => {
    const r = await optimizeProject(path.join(EXAMPLES, "lab-004"), { planOnly: true, tier: "distroless" });
    expect(r.project.entry.argv).toEqual(["python", "app.py"]);
    expect(r.dockerfile).toContain("FROM scratch AS runtime");
  });

  it("hit-counter-ts: npm start resolves to node, tests run before pruning, compiled tests dropped", async () => {
    const r = await optimizeProject(path.join(EXAMPLES, "hit-counter-ts"), {
      planOnly: true,
      tier: "distroless",
    });
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
