/**
 * The npm package as a user gets it: `npm pack` (prepack builds dist/), the
 * tarball installed into a clean prefix (the README's install line), and the
 * installed `slimstage` run from a directory outside the checkout. Everything
 * the lab creates carries org.slimstage.test=pack and is removed afterwards.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countByLabel, removeByLabel } from "../src/engine/cleanup.js";
import { connectEngine, type EngineConnection } from "../src/engine/connect.js";
import type { LabRunDocument } from "../src/lab/lab-result.js";
import { packageRoot } from "../src/lab/paths.js";

const ROOT = packageRoot();
const LABELS = { "org.slimstage.test": "pack" };
const run = promisify(execFile);

function slimstage(
  bin: string,
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    // A plain environment: nothing may resolve from the checkout.
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
    delete env.NODE_OPTIONS;
    delete env.SLIMSTAGE_MAIN;
    const child = spawn(bin, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

describe("the packed npm package, installed into a clean prefix", () => {
  let tmp: string;
  let bin: string;
  let installed: string;
  let engine: EngineConnection;

  beforeAll(async () => {
    engine = await connectEngine();
    tmp = await mkdtemp(join(tmpdir(), "slimstage-pack-"));
    const packed = await run("npm", ["pack", "--json", "--pack-destination", tmp], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as { filename: string }[];
    const tarball = join(tmp, info!.filename);
    const prefix = join(tmp, "prefix");
    await run(
      "npm",
      ["install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", "--prefer-offline", tarball],
      {
        cwd: tmp,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    bin = join(prefix, "bin", "slimstage");
    installed = join(prefix, "lib", "node_modules", "slimstage");
  }, 600_000);

  afterAll(async () => {
    if (engine) await removeByLabel(engine, LABELS, { images: true });
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("ships every file its compiled code locates relative to itself", () => {
    const located: string[] = [];
    for (const file of walk(join(installed, "dist")).filter((f) => f.endsWith(".js"))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/new URL\("(\.{1,2}\/[^"]*)", import\.meta\.url\)/g)) {
        const target = resolve(dirname(file), m[1]!);
        located.push(target);
        expect(existsSync(target), `${file} reads ${m[1]}`).toBe(true);
        expect(target.startsWith(`${installed}/`) || target === installed).toBe(true);
      }
    }
    // The package list of the wheelhouse, the engine set-up script, package.json for --version.
    expect(located).toContain(join(installed, "dist", "bases", "wheelhouse.txt"));
    expect(located).toContain(join(installed, "dist", "bases", "wheel-markers.py"));
    expect(located).toContain(join(installed, "scripts", "setup-engine.sh"));
    expect(existsSync(join(installed, "src"))).toBe(false);
  });

  it("prints its version", async () => {
    const r = await slimstage(bin, ["--version"], tmp);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe(pkg.version);
    expect(r.code).toBe(0);
  });

  it("lints a Dockerfile (findings: exit 1, as JSON)", async () => {
    const file = join(tmp, "Dockerfile");
    await writeFile(file, "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n");
    const r = await slimstage(bin, ["lint", "--json", file], tmp);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { files: { file: string; findings: { slug: string }[] }[] };
    expect(doc.files[0]?.file).toBe(file);
    expect(doc.files[0]?.findings.map((f) => f.slug)).toContain("apt-lists-not-removed");
  });

  // lint and inspect run from dist/cli-bundle.js (scripts/bundle-cli.mjs): this one also loads
  // dockerode from the bundle, which sits one folder above the module that loads it in dist/.
  it("inspects an engine image with the bundled inspect (JSON analysis)", async () => {
    const r = await slimstage(bin, ["inspect", "--json", "docker://slimstage/python:3.11-slim"], tmp);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { fileCount: number; byOwner: { name: string }[] };
    expect(doc.fileCount).toBeGreaterThan(1000);
    expect(doc.byOwner.map((o) => o.name)).toEqual(expect.arrayContaining(["cpython", "libc6"]));
  });

  it("doctor --json finds the engine and a BuildKit-capable client", async () => {
    const r = await slimstage(bin, ["doctor", "--json", "--offline"], tmp);
    const doc = JSON.parse(r.stdout) as { ok: boolean; engine?: { serverVersion: string } };
    expect(doc.engine?.serverVersion).toMatch(/^\d+\./);
    expect(doc.ok, r.stdout).toBe(true);
    expect(r.code).toBe(0);
  });

  // The lab's own two variants: they read the package's runtime data (the wheelhouse list the
  // offline index serves, the lab files). The optimized and minified variants run from source in
  // src/lab/lab.engine.test.ts and on two more engines; a third full run here would add about ten
  // minutes to CI for code that ships identically.
  it("runs the lab lab-000 end to end from the installed package", async () => {
    const r = await slimstage(
      bin,
      [
        "lab",
        "lab-000",
        "--no-optimize",
        "--no-minify",
        "--json",
        "--tag-prefix",
        "slimstage-test-pack",
        "--label",
        "org.slimstage.test=pack",
      ],
      tmp,
    );
    const doc = JSON.parse(r.stdout) as LabRunDocument;
    expect(doc.ok, `${r.stderr.slice(-3000)}\n${r.stdout.slice(0, 2000)}`).toBe(true);
    expect(r.code).toBe(0);
    const lab = doc.labs[0]!;
    expect(lab.variants.map((v) => [v.name, v.verify?.ok])).toEqual([
      ["single", true],
      ["multi", true],
    ]);
    // Nothing of the run's is left running.
    const left = await countByLabel(engine, LABELS);
    expect([left.containers, left.networks]).toEqual([0, 0]);
  }, 900_000);
});
