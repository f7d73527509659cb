/**
 * A lab as a CI check: a claim whose verdict differs from its `expect:` makes
 * `slimstage lab` exit 1 and name the claim. The lab (testdata/wrong-expect)
 * runs the local debian:bookworm-slim as it is (no build), so the run is short.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, runCli } from "../../test/cli.js";
import { countByLabel, removeByLabel } from "../engine/cleanup.js";
import { connectEngine, type EngineConnection } from "../engine/connect.js";
import type { LabRunDocument } from "./lab-result.js";
import { packageRoot } from "./paths.js";

const ROOT = packageRoot();
const LABELS = { "org.slimstage.test": `lab-expect-${randomBytes(4).toString("hex")}` };

/** The CLI from source, run from the package root, without colours. */
const cli = (args: string[]): Promise<CliResult> => runCli(args, { cwd: ROOT, env: { NO_COLOR: "1" } });

describe("slimstage lab with a claim that does not get its expected verdict", () => {
  let engine: EngineConnection;
  let run: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    engine = await connectEngine();
    run = await cli([
      "lab",
      join(ROOT, "src/lab/testdata/wrong-expect"),
      "--json",
      "--no-optimize",
      "--no-minify",
      "--label",
      `org.slimstage.test=${LABELS["org.slimstage.test"]}`,
    ]);
  }, 600_000);

  afterAll(async () => {
    if (engine) await removeByLabel(engine, LABELS, { images: false });
  });

  it("exits 1 and names the claim, with the verdict and the expectation", () => {
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/wrong-expect: NOT OK: claim base-non-root: FALSE, the lab expects TRUE/);
    expect(run.stderr).not.toMatch(/base-works/);
  });

  it("records expected and found in the JSON", () => {
    const doc = JSON.parse(run.stdout) as LabRunDocument;
    expect(doc.ok).toBe(false);
    const claims = doc.labs[0]?.claims ?? [];
    expect(claims.map((c) => [c.id, c.verdict, c.expected, c.asExpected])).toEqual([
      ["base-non-root", false, true, false],
      ["base-works", true, true, true],
    ]);
  });

  it("leaves nothing of its own run behind", async () => {
    const left = await countByLabel(engine, LABELS);
    expect(left).toMatchObject({ containers: 0, networks: 0 });
  });
});

describe("slimstage lab --env / --env-file: the app's configuration reaches every verification", () => {
  const lab = join(ROOT, "src/lab/testdata/needs-env");
  const common = [
    "lab",
    lab,
    "--json",
    "--no-optimize",
    "--no-minify",
    "--label",
    `org.slimstage.test=${LABELS["org.slimstage.test"]}`,
  ];
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "slimstage-lab-env-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("works with --env, and with the same value from --env-file", async () => {
    const withEnv = await cli([...common, "--env", "GREETING=hello-from-env"]);
    expect(withEnv.code, withEnv.stderr).toBe(0);
    await writeFile(join(dir, "app.env"), "# the app's settings\nGREETING=hello-from-env\n");
    const withFile = await cli([...common, "--env-file", join(dir, "app.env")]);
    expect(withFile.code, withFile.stderr).toBe(0);
    expect((JSON.parse(withFile.stdout) as LabRunDocument).labs[0]?.claims[0]?.verdict).toBe(true);
  });

  it("fails without it, and the claim says so", async () => {
    const without = await cli(common);
    // 5: a variant failed its verification (exit codes: slimstage --help).
    expect(without.code).toBe(5);
    expect((JSON.parse(without.stdout) as LabRunDocument).labs[0]?.claims[0]?.verdict).toBe(false);
  });
});
