import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, runCli } from "../../../test/cli.js";
import { HANDWORKED } from "../../image/test-helpers/fixtures.js";
import { writeDockerArchive, writeOciLayout } from "../../image/test-helpers/image-writer.js";

const slimstage = (...args: string[]): Promise<CliResult> => runCli(args, { env: { NO_COLOR: "1" } });

let dir: string;
let ref: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-cli-inspect-"));
  await writeDockerArchive(join(dir, "img.tar"), HANDWORKED);
  await writeOciLayout(join(dir, "layout"), HANDWORKED, { tag: "v1" });
  ref = `docker-archive://${join(dir, "img.tar")}`;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("slimstage inspect", () => {
  it("prints the summary and exits 0 without gates", async () => {
    const r = await slimstage("inspect", ref);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Layers");
    expect(r.stdout).toContain("RUN pip install flask && make");
  });

  it("--json prints the analysis with gate results", async () => {
    const r = await slimstage("--json", "inspect", ref, "--min-efficiency", "0.5");
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      wastedBytes: number;
      gates: Array<{ gate: string; passed: boolean }>;
    };
    expect(doc.wastedBytes).toBe(23500);
    expect(doc.gates).toEqual([expect.objectContaining({ gate: "min-efficiency", passed: false })]);
    expect(r.stderr).toContain("gate failed: min-efficiency");
  });

  it("exits 1 naming the failed gate, 0 when all pass", async () => {
    const fail = await slimstage("inspect", ref, "--max-size", "10kB", "--max-build-only", "1MB");
    expect(fail.code).toBe(1);
    expect(fail.stderr).toMatch(/gate failed: max-size: image size is [\d.]+ kB, over the limit of 10 kB/);
    expect(fail.stderr).not.toContain("max-build-only");
    const pass = await slimstage("inspect", ref, "--max-size", "1MB", "--max-waste", "60%");
    expect(pass.code).toBe(0);
  });

  it("exits 2 on a bad gate threshold before reading anything, and on a bad reference", async () => {
    const bad = await slimstage("inspect", "docker-archive:///nonexistent.tar", "--min-efficiency", "2");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/min-efficiency/);
    const missing = await slimstage("inspect", "docker-archive:///nonexistent.tar");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
  });

  it("--no-verify skips the digest checks that otherwise reject a lying config", async () => {
    // Plain layers: a compressed one is always decompressed, so always checked.
    const lie = join(dir, "lie.tar");
    const plain = {
      ...HANDWORKED,
      layers: HANDWORKED.layers.map((l) => ({ ...l, compression: "none" as const })),
    };
    await writeDockerArchive(lie, plain, { lieAboutDiffId: 0 });
    const checked = await slimstage("inspect", `docker-archive://${lie}`);
    expect(checked.code).toBe(2);
    expect(checked.stderr).toMatch(/layer 0 .*does not match the image config/);
    const unchecked = await slimstage("--json", "inspect", `docker-archive://${lie}`, "--no-verify");
    expect(unchecked.code).toBe(0);
    expect(JSON.parse(unchecked.stdout)).toMatchObject({ digestsVerified: false });
  });

  it("--max-ratio must be a number above 1", async () => {
    const r = await slimstage("inspect", ref, "--max-ratio", "0.5");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-ratio "0.5" must be a number above 1/);
  });

  it("--markdown and --tree PATH", async () => {
    const md = await slimstage("inspect", `oci-layout://${join(dir, "layout")}:v1`, "--markdown");
    expect(md.stdout).toContain("### Layers");
    const tree = await slimstage("inspect", ref, "--tree", "/usr/local", "--depth", "2");
    expect(tree.code).toBe(0);
    expect(tree.stdout.split("\n")[0]).toMatch(/\(\/usr\/local\)$/);
    expect(tree.stdout).toContain("python3.11/");
  });
});

describe("slimstage diff", () => {
  it("compares two images in tty and json", async () => {
    const lay = `oci-layout://${join(dir, "layout")}:v1`;
    const r = await slimstage("diff", ref, lay);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("4 shared leading layers");
    const j = await slimstage("--json", "diff", ref, lay);
    expect(JSON.parse(j.stdout)).toMatchObject({ sharedLayers: 4, config: [] });
  });
});
