/**
 * `slimstage lab lab-000 --json` end to end on the real engine: lint, two
 * BuildKit builds, analysis, HTTP verification, verdicts. Everything it
 * creates carries org.slimstage.test=lab and is removed afterwards.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, runCli } from "../../test/cli.js";
import { countByLabel, removeByLabel } from "../engine/cleanup.js";
import { connectEngine, type EngineConnection } from "../engine/connect.js";
import type { LabRunDocument } from "./lab-result.js";
import { packageRoot } from "./paths.js";

const ROOT = packageRoot();
const TEST_LABELS = { "org.slimstage.test": "lab" };
const REPORT = join(ROOT, "test-artifacts", "lab-000.html");

/** The CLI from source, run from the package root, without colours. */
const cli = (args: string[]): Promise<CliResult> => runCli(args, { cwd: ROOT, env: { NO_COLOR: "1" } });

describe("slimstage lab lab-000 --json", () => {
  let engine: EngineConnection;
  let run: { code: number; stdout: string; stderr: string };
  let doc: LabRunDocument;

  beforeAll(async () => {
    engine = await connectEngine();
    mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
    run = await cli([
      "lab",
      "lab-000",
      "--json",
      "--tag-prefix",
      "slimstage-test-lab",
      "--label",
      "org.slimstage.test=lab",
      "--report",
      REPORT,
    ]);
    doc = JSON.parse(run.stdout) as LabRunDocument;
  }, 900_000);

  afterAll(async () => {
    if (engine) await removeByLabel(engine, TEST_LABELS, { images: true });
  });

  it("exits 0: every variant (the lab's and slimstage's) behaves as lab.yaml expects and every claim has a verdict", () => {
    expect(run.stderr).not.toMatch(/internal error/);
    // On an error the document is {error}: show it with the progress.
    expect(doc.ok, `${run.stderr}\n${run.stdout.slice(0, 2000)}`).toBe(true);
    expect(run.code).toBe(0);
  });

  it("built, analyzed and verified both variants", () => {
    const lab = doc.labs[0]!;
    expect(lab.name).toBe("lab-000");
    expect(lab.variants.map((v) => v.name)).toEqual([
      "single",
      "multi",
      "optimized-slim",
      "optimized-distroless",
      "minified",
    ]);
    for (const v of lab.variants.slice(0, 2)) {
      expect(v.build?.ok).toBe(true);
      expect(v.tag).toBe(`slimstage-test-lab/lab-000:${v.name}`);
      expect(v.facts?.sizeBytes).toBeGreaterThan(50_000_000);
      expect(v.verify?.ok).toBe(true);
      expect(v.verify?.probes[0]?.detail).toMatch(/Hello from Python!/);
      expect(v.outcome).toMatchObject({ status: "works", asExpected: true });
    }
  });

  it("adds slimstage's optimize tiers as variants, built and verified with the lab's probe", () => {
    const lab = doc.labs[0]!;
    for (const tier of ["slim", "distroless"]) {
      const v = lab.variants.find((x) => x.name === `optimized-${tier}`)!;
      expect(v.build?.ok, v.outcome.summary).toBe(true);
      expect(v.tag).toBe(`slimstage-test-lab/lab-000-optimized:${tier}`);
      expect(v.verify?.ok, v.outcome.summary).toBe(true);
      expect(v.verify?.probes[0]?.detail).toMatch(/Hello from Python!/);
      expect(v.outcome).toMatchObject({ status: "works", asExpected: true });
      expect(v.facts?.sizeBytes).toBeGreaterThan(1_000_000);
    }
  });

  it("adds the minified variant: the smallest working image traced, rebuilt from what it used and verified", () => {
    const lab = doc.labs[0]!;
    const v = lab.variants.find((x) => x.name === "minified")!;
    const single = lab.variants.find((x) => x.name === "single")!;
    // single is the smaller of the lab's two working images (the multi-stage one is larger).
    expect(v.dockerfile).toBe("slimstage minify slimstage-test-lab/lab-000:single");
    expect(v.tag).toBe("slimstage-test-lab/lab-000-minified:single");
    expect(v.verify?.ok, v.outcome.summary).toBe(true);
    expect(v.verify?.probes[0]?.detail).toMatch(/Hello from Python!/);
    expect(v.outcome).toMatchObject({ status: "works", asExpected: true });
    expect(v.facts!.sizeBytes).toBeLessThan(single.facts!.sizeBytes * 0.4);
  });

  it("judges slimstage's own claims from the measured sizes", () => {
    const lab = doc.labs[0]!;
    const size = (name: string) => lab.variants.find((v) => v.name === name)!.facts!.sizeBytes;
    const slim = lab.claims.find((c) => c.id === "optimized-slim-no-larger")!;
    expect(slim.kind).toBe("optimized");
    // lab-000's only multi-stage variant is "multi".
    expect(slim.verdict).toBe(size("optimized-slim") <= size("multi"));
    expect(slim.verdict).toBe(true);
    expect(slim.measured).toMatch(/optimized-slim .* vs multi /);
    const distroless = lab.claims.find((c) => c.id === "optimized-distroless-at-most")!;
    expect(distroless.verdict).toBe(size("optimized-distroless") <= 45e6);
    expect(distroless.verdict).toBe(true);
  });

  it("judges every claim, and finds the lab's multi-stage image is not smaller, with the duplicated site-packages as the reason", () => {
    const lab = doc.labs[0]!;
    expect(lab.claims.map((c) => c.verdict === null)).not.toContain(true);
    const smaller = lab.claims.find((c) => c.id === "multi-significantly-smaller")!;
    const [single, multi] = lab.variants.map((v) => v.facts!.sizeBytes);
    expect(smaller.verdict).toBe(multi! <= single! * 0.9);
    // Measured on the local python:3.11-slim: the copy of site-packages duplicates pip and setuptools.
    expect(smaller.verdict).toBe(false);
    expect(smaller.measured).toMatch(/LARGER/);
    expect(smaller.why).toMatch(/wasted in multi/);
    expect(smaller.why).toMatch(/pip/);
    expect(lab.claims.find((c) => c.id === "multi-still-works")?.verdict).toBe(true);
  });

  it("carries the run document for the report and leaves no container or network behind", async () => {
    const lab = doc.labs[0]!;
    expect(lab.report?.schema).toBe("slimstage.run/v1");
    expect(lab.report?.variants.map((v) => v.name)).toEqual([
      "single",
      "multi",
      "optimized-slim",
      "optimized-distroless",
      "minified",
    ]);
    expect(doc.machine.cpus).toBeGreaterThan(0);
    const html = readFileSync(REPORT, "utf8");
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toMatch(/lab-000/);
    expect(html).toMatch(/optimized-distroless/);
    const left = await countByLabel(engine, TEST_LABELS);
    expect(left.containers).toBe(0);
    expect(left.networks).toBe(0);
    expect(left.images).toBe(5);
  });
});

describe("slimstage lab lab-004 --no-optimize --json", () => {
  it("runs only the lab's own variants and claims", async () => {
    const engine = await connectEngine();
    const labels = { "org.slimstage.test": "lab-no-optimize" };
    try {
      const r = await cli([
        "lab",
        "lab-004",
        "--no-optimize",
        "--json",
        "--tag-prefix",
        "slimstage-test-lab",
        "--label",
        "org.slimstage.test=lab-no-optimize",
      ]);
      const d = JSON.parse(r.stdout) as LabRunDocument;
      expect(d.ok, r.stderr).toBe(true);
      const lab = d.labs[0]!;
      expect(lab.variants.map((v) => v.name).filter((n) => n.startsWith("optimized-"))).toEqual([]);
      expect(lab.variants.length).toBeGreaterThan(0);
      expect(lab.claims.filter((c) => c.kind === "optimized")).toEqual([]);
      expect(r.stderr).not.toMatch(/optimized/);
      // A one-shot app (it prints and exits) is minified too: the probe runs its command, traced.
      const minified = lab.variants.find((v) => v.name === "minified");
      const multistage = lab.variants.find((v) => v.name === "multistage");
      expect(minified?.verify?.ok, minified?.outcome.summary).toBe(true);
      expect(minified?.verify?.probes[0]?.detail).toMatch(/Hello from a Python app running on Debian!/);
      expect(minified!.facts!.sizeBytes).toBeLessThan(multistage!.facts!.sizeBytes * 0.2);
    } finally {
      await removeByLabel(engine, labels, { images: true });
    }
  }, 600_000);
});

describe("Ctrl-C during a lab's verification (Redis sidecar running)", () => {
  it("exits 130 and leaves no container or network behind", async () => {
    const engine = await connectEngine();
    const labels = { "org.slimstage.test": "lab-interrupt" };
    try {
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          join(ROOT, "src/cli/main.ts"),
          "lab",
          "lab-001",
          "--json",
          "--tag-prefix",
          "slimstage-test-lab",
          "--label",
          "org.slimstage.test=lab-interrupt",
        ],
        {
          cwd: ROOT,
          env: { ...process.env, SLIMSTAGE_MAIN: "1", NO_COLOR: "1" },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stderr = "";
      let sent = false;
      child.stdout.resume();
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        // The dev variant's analysis is done: its verification (with Redis) starts next.
        if (!sent && /lab-001 dev: analyze ok/.test(stderr)) {
          sent = true;
          setTimeout(() => child.kill("SIGINT"), 1500);
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
      expect(sent, stderr).toBe(true);
      expect(code, stderr).toBe(130);
      const left = await countByLabel(engine, labels);
      expect(left.containers).toBe(0);
      expect(left.networks).toBe(0);
    } finally {
      await removeByLabel(engine, labels, { images: true });
    }
  }, 600_000);
});
