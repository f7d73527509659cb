/** compare and report on the command line, without an engine: flags, run documents, exit codes. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, runCli } from "../../../test/cli.js";
import { compareImages } from "../../report/compare.js";
import { comparisonDocument } from "../../report/compare-format.js";
import { sampleRun } from "../../report/test-helpers/sample-data.js";

const slimstage = (...args: string[]): Promise<CliResult> =>
  runCli(args, { env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" } });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "slimstage-cli-report-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// Each case spawns the CLI (about a second each on an idle machine): generous limits for a busy one.
describe("slimstage compare (no engine needed)", { timeout: 60_000 }, () => {
  it("rejects a bad budget before reading any image (exit 2)", async () => {
    const r = await slimstage("compare", "app:1", "app:2", "--max-size", "huge");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--max-size: "huge" is not a size');
    const j = await slimstage("compare", "--json", "app:1", "--max-ratio", "-3");
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout).error.message).toContain("--max-ratio");
  });

  it("rejects duplicate names, an empty NAME=, and no image at all (exit 2)", async () => {
    expect((await slimstage("compare", "a=x:1", "a=x:2")).stderr).toContain('two images are named "a"');
    expect((await slimstage("compare", "a=")).code).toBe(2);
    const none = await slimstage("compare");
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("nothing to compare");
  });

  it("rejects a probe expectation without a probe, and --compose without --service (exit 2)", async () => {
    const r = await slimstage("compare", "app:1", "--expect-status", "200");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("without a --probe");
    expect((await slimstage("compare", "app:1", "--compose", "c.yaml")).stderr).toContain("go together");
  });

  it("says so when there is no engine (exit 3)", async () => {
    // slimstage() points DOCKER_HOST at a socket that does not exist.
    const r = await slimstage("compare", "app:1", "app:2");
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("/nonexistent/docker.sock");
  });

  it("refuses to verify an archive it cannot run (exit 2)", async () => {
    const r = await slimstage("compare", "docker-archive:///tmp/x.tar", "--probe", "tcp:80");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("must be in the engine");
  });

  it("reads a bad --from-build file with its place (exit 2)", async () => {
    const f = join(dir, "build.json");
    writeFileSync(f, JSON.stringify({ images: [{ imageId: "nope" }] }));
    const r = await slimstage("compare", "--from-build", f);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("/images/0/imageId");
  });
});

describe("slimstage report --from", { timeout: 60_000 }, () => {
  it("writes a self-contained HTML file from a compare run document", async () => {
    const data = sampleRun();
    const doc = comparisonDocument(data.variants, compareImages(data.variants, { baseline: data.baseline }), {
      title: "from a file",
    });
    const runFile = join(dir, "run.json");
    writeFileSync(runFile, JSON.stringify(doc, null, 2));
    const out = join(dir, "r.html");
    const r = await slimstage("report", "--from", runFile, "--out", out, "--json");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ out, variants: data.variants.map((v) => v.name) });
    const html = readFileSync(out, "utf8");
    expect(html).toContain("<title>from a file</title>");
    expect(html).toContain('<svg id="chart-size"');
  });

  it("takes another baseline from the run's variants", async () => {
    const data = sampleRun();
    const runFile = join(dir, "run2.json");
    writeFileSync(runFile, JSON.stringify(data));
    const out = join(dir, "r2.html");
    const r = await slimstage("report", "--from", runFile, "--out", out, "--baseline", "multi");
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("multi (baseline)");
    const bad = await slimstage("report", "--from", runFile, "--out", out, "--baseline", "nope");
    expect(bad.code).toBe(2);
  });

  it("points at the place of broken JSON and at the bad value of an invalid run (exit 2)", async () => {
    const broken = join(dir, "broken.json");
    writeFileSync(broken, '{\n  "schema": "slimstage.run/v1",\n  "variants": [,]\n}\n');
    const r = await slimstage("report", "--from", broken, "--out", join(dir, "x.html"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.json:3:\d+: .*not valid JSON/);
    expect(r.stderr).toContain('"variants": [,]');

    const invalid = join(dir, "invalid.json");
    const data = sampleRun();
    writeFileSync(
      invalid,
      JSON.stringify({ ...data, variants: [{ ...data.variants[0], analysis: { sizeBytes: -1 } }] }),
    );
    const v = await slimstage("report", "--from", invalid, "--out", join(dir, "x.html"));
    expect(v.code).toBe(2);
    expect(v.stderr).toContain("/variants/0/analysis");

    const other = join(dir, "other.json");
    writeFileSync(other, JSON.stringify({ images: [] }));
    expect((await slimstage("report", "--from", other, "--out", join(dir, "x.html"))).stderr).toContain(
      "must have required property",
    );
  });

  it("needs a run or images, not both, and an --out it can write (exit 2)", async () => {
    expect((await slimstage("report", "--out", join(dir, "a.html"))).stderr).toContain("nothing to report");
    const both = await slimstage("report", "--out", join(dir, "a.html"), "--from", "x.json", "app:1");
    expect(both.stderr).toContain("not both");
    const runFile = join(dir, "ok.json");
    writeFileSync(runFile, JSON.stringify(sampleRun()));
    const r = await slimstage("report", "--from", runFile, "--out", join(dir, "no/such/dir/r.html"));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cannot write");
    expect((await slimstage("report", "--from", runFile)).code).toBe(2);
  });
});
