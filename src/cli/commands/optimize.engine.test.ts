/**
 * `slimstage optimize --write` on a run where no tier verifies (engine
 * needed): the CLI says nothing was written and names the image it kept.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../../test/cli.js";
import { connectEngine } from "../../engine/connect.js";
import { findEngineImage } from "../../engine/images.js";
import { untagLocalImage } from "../../engine/local-images.js";
import { poetryProject, writeFixture } from "../../plan/testdata/fixtures.js";

const kept: string[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  const engine = await connectEngine();
  for (const t of kept) await untagLocalImage(engine, t);
  for (const c of cleanups) await c();
});

describe("slimstage optimize --write, no tier verified", { timeout: 600_000 }, () => {
  it("exits 5, writes nothing and says so, and names the -unverified image it kept", async () => {
    const { dir, cleanup } = await writeFixture(poetryProject);
    cleanups.push(cleanup);
    const before = await readdir(dir);
    // A route the fixture does not serve: a 404 fails the probe, so the one tier fails verification.
    const r = await runCli([
      "optimize",
      dir,
      "--tier",
      "slim",
      "--write",
      "--probe",
      "http://:5000/slimstage-no-such-route",
      "--timeout",
      "30",
    ]);
    const image = /kept for a look: (\S+) /.exec(r.stderr)?.[1];
    if (image) kept.push(image);
    expect(r.code, r.stderr).toBe(5);
    expect(r.stdout).toContain("Nothing was written: --write writes only a tier that built and verified.");
    expect(await readdir(dir)).toEqual(before);
    expect(image).toBe(`slimstage-optimize/${path.basename(dir).toLowerCase()}:slim-unverified`);
    expect(await findEngineImage(image ?? "", await connectEngine())).toBeDefined();
  });
});
