/**
 * compare and report end to end through the CLI on a real engine. The test
 * makes its own small images (`docker import` of a tar holding the host's
 * static busybox plus a payload), labelled, and removes them afterwards.
 */
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import tar from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, runCli } from "../../test/cli.js";
import type { CompareDocument } from "./compare-format.js";

const exec = promisify(execFile);
const TAG = `slimstage-test/report-${randomBytes(3).toString("hex")}`;
const LABELS = ["org.slimstage.managed=true", "org.slimstage.test=report"];

const slimstage = (...args: string[]): Promise<CliResult> => runCli(args);

/**
 * One-layer image: busybox as /bin/sh plus `payload` incompressible bytes, with
 * the given CMD; `healthy` images carry the file the probe reads.
 */
async function makeImage(tag: string, payload: number, cmd: string[], healthy: boolean): Promise<void> {
  const pack = tar.pack();
  pack.entry({ name: "bin/busybox", mode: 0o755 }, readFileSync("/bin/busybox"));
  pack.entry({ name: "bin/sh", type: "symlink", linkname: "busybox" });
  pack.entry({ name: "data/payload.bin", mode: 0o644 }, randomBytes(payload));
  if (healthy) pack.entry({ name: "app/ready", mode: 0o644 }, READY);
  pack.finalize();
  const changes = [...LABELS.map((l) => `LABEL ${l}`), `CMD ${JSON.stringify(cmd)}`];
  const child = spawn("docker", ["import", ...changes.flatMap((c) => ["--change", c]), "-", tag], {
    stdio: ["pipe", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += String(d);
  });
  pack.pipe(child.stdin);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`docker import ${tag} failed: ${stderr}`);
}

async function containersOf(tag: string): Promise<string[]> {
  const { stdout } = await exec("docker", ["ps", "-aq", "--filter", `ancestor=${tag}`]);
  return stdout.split("\n").filter(Boolean);
}

const READY = "probe-ok\n";
const IMAGES = { big: `${TAG}:big`, small: `${TAG}:small`, broken: `${TAG}:broken` };

describe("compare and report on real images", () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "slimstage-compare-"));
    const serve = ["/bin/busybox", "sleep", "600"];
    await makeImage(IMAGES.big, 6_000_000, serve, true);
    await makeImage(IMAGES.small, 1_000_000, serve, true);
    // Smallest, but lacks the file the probe needs: its verification fails and its saving is not claimed.
    await makeImage(IMAGES.broken, 500_000, serve, false);
  });

  afterAll(async () => {
    for (const tag of Object.values(IMAGES)) {
      for (const id of await containersOf(tag).catch(() => [])) {
        await exec("docker", ["rm", "-f", id]).catch(() => {});
      }
      await exec("docker", ["rmi", "-f", tag]).catch(() => {});
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("compares two images with --json: sizes, ratios, layers, not verified", async () => {
    const r = await slimstage("compare", "--json", `big=${IMAGES.big}`, `small=${IMAGES.small}`);
    expect(r.stderr).toContain("analysing big");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as CompareDocument;
    expect(doc.schema).toBe("slimstage.run/v1");
    expect(doc.baseline).toBe("big");
    const [big, small] = doc.comparison.rows;
    const busybox = readFileSync("/bin/busybox").length + READY.length;
    expect(big!.size.value).toBe(busybox + 6_000_000);
    expect(small!.size.value).toBe(busybox + 1_000_000);
    expect(small!.size.ratio).toBeCloseTo((busybox + 1_000_000) / (busybox + 6_000_000), 6);
    expect(small!.layers).toEqual({ value: 1, ratio: 1 });
    // Random payload does not compress: the estimate stays above the payload size.
    expect(big!.compressedSize.value).toBeGreaterThan(6_000_000);
    expect(big!.compressedSize.estimated).toBe(true);
    expect(small!.verify.status).toBe("not-verified");
    expect(small!.saving).toEqual({ bytes: 5_000_000, status: "unverified" });
    expect(doc.variants[0]!.analysis.id).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("fails a size gate with exit 1, naming the gate", async () => {
    const r = await slimstage("compare", IMAGES.big, IMAGES.small, "--max-size", "2MB");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/gate max-size failed: .*:small is 2.9 MB, over the --max-size budget of 2 MB/);
    const ok = await slimstage("compare", IMAGES.small, "--baseline", IMAGES.big, "--max-ratio", "50%");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("gates passed");
  });

  it("verifies each image: a variant that fails its probe is marked failed and its saving is not claimed", async () => {
    const r = await slimstage(
      "compare",
      "--json",
      `big=${IMAGES.big}`,
      `small=${IMAGES.small}`,
      `broken=${IMAGES.broken}`,
      "--probe",
      "cmd:/bin/busybox cat /app/ready",
      "--expect-output",
      "probe-ok",
      "--timeout",
      "60",
    );
    expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(5);
    const doc = JSON.parse(r.stdout) as CompareDocument;
    const rows = Object.fromEntries(doc.comparison.rows.map((row) => [row.name, row]));
    expect(rows.big!.verify, JSON.stringify(doc.variants.map((v) => v.verify))).toMatchObject({
      status: "passed",
    });
    expect(rows.small!.verify, JSON.stringify(doc.variants.map((v) => v.verify))).toMatchObject({
      status: "passed",
    });
    expect(rows.small!.verify.status).toBe("passed");
    expect(rows.small!.saving?.status).toBe("claimed");
    expect(rows.small!.startupMs.value).toBeGreaterThan(0);
    expect(rows.broken!.verify.status).toBe("failed");
    expect(doc.variants[2]!.verify?.probes[0]).toMatchObject({ ok: false });
    expect(rows.broken!.saving?.status).toBe("withheld");
    // Verification cleaned up after itself, also after the failure.
    for (const tag of Object.values(IMAGES)) expect(await containersOf(tag)).toEqual([]);

    // The same run drawn as a report.
    const run = join(dir, "run.json");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(run, r.stdout);
    const out = join(dir, "report.html");
    const rep = await slimstage("report", "--from", run, "--out", out);
    expect(rep.code, rep.stderr).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html.match(/<g class="bar[^"]*" data-variant="broken"/g)?.length).toBeGreaterThanOrEqual(4);
    expect(html).toContain("not claimed (failed)");
  });

  it("writes a report from images analysed on the spot", async () => {
    const out = join(dir, "spot.html");
    const r = await slimstage("report", "--json", "--out", out, IMAGES.big, IMAGES.small);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ out, variants: [IMAGES.big, IMAGES.small], failed: [] });
    expect(readFileSync(out, "utf8")).toContain('<svg id="chart-size"');
  });

  it("compares the variants of a build from its --json output, by image id", async () => {
    const ids: Record<string, string> = {};
    for (const v of ["big", "small"] as const) {
      const { stdout } = await exec("docker", ["image", "inspect", "--format", "{{.Id}}", IMAGES[v]]);
      ids[v] = stdout.trim();
    }
    const build = join(dir, "build.json");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(
      build,
      JSON.stringify({
        images: Object.entries(ids).map(([variant, imageId]) => ({ variant, imageId, tags: [] })),
      }),
    );
    const r = await slimstage("compare", "--markdown", "--from-build", build);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\| variant +\| +size \|/);
    expect(r.stdout).toMatch(/\| small +\| +2\.9 MB 0\.3[67]x \|/);
  });

  it("exits 2 for an image that does not exist (an input error, not engine trouble)", async () => {
    const r = await slimstage("compare", IMAGES.big, `${TAG}:no-such-tag`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no-such-tag");
  });

  it("compares two of the local bases with --json, agreeing with the engine's own numbers", async () => {
    const bases = { debian: "slimstage/debian:bookworm-slim", redis: "slimstage/redis:7" };
    const r = await slimstage(
      "compare",
      "--json",
      "--no-estimate-compressed",
      ...Object.entries(bases).map(([n, ref]) => `${n}=${ref}`),
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as CompareDocument;
    for (const [i, ref] of Object.values(bases).entries()) {
      const { stdout } = await exec("docker", [
        "image",
        "inspect",
        "--format",
        "{{.Id}} {{.Size}} {{len .RootFS.Layers}}",
        ref,
      ]);
      const [id, size, layers] = stdout.trim().split(" ");
      const v = doc.variants[i]!;
      expect(v.analysis.id).toBe(id);
      expect(v.analysis.layers).toHaveLength(Number(layers));
      // The engine also counts directory and metadata bytes; the content bytes are within 1% of its size.
      expect(Math.abs(v.analysis.sizeBytes - Number(size)) / Number(size)).toBeLessThan(0.01);
      // Debian-based: dpkg's database is read.
      expect(v.analysis.packageCount).toBeGreaterThan(50);
    }
    const redis = doc.comparison.rows[1]!;
    // Read from the engine, layers are uncompressed: without the estimate there is no compressed size.
    expect(redis.compressedSize).toMatchObject({ value: null, ratio: null });
    expect(redis.size.ratio).toBeCloseTo(
      doc.variants[1]!.analysis.sizeBytes / doc.variants[0]!.analysis.sizeBytes,
      9,
    );
    expect(redis.size.ratio).toBeGreaterThan(1);
    expect(redis.saving).toMatchObject({ status: "unverified" });
    expect(redis.saving!.bytes).toBeLessThan(0);
  });

  it("Ctrl-C during a verification: exit 130 and no container left behind", async () => {
    // Nothing listens on port 9: verification keeps retrying until the signal arrives.
    const child = spawn(
      "node",
      ["--import", "tsx", "src/cli/main.ts", "compare", IMAGES.small, "--probe", "tcp:9", "--timeout", "120"],
      { env: { ...process.env, SLIMSTAGE_MAIN: "1" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    const verifying = new Promise<void>((resolve) => {
      child.stderr.on("data", (d) => {
        stderr += String(d);
        if (stderr.includes("verifying")) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    await verifying;
    // Let the container start before interrupting.
    await new Promise((r) => setTimeout(r, 3000));
    child.kill("SIGINT");
    const code = await exited;
    expect(code, stderr).toBe(130);
    expect(await containersOf(IMAGES.small)).toEqual([]);
  });
});
