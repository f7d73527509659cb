import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BuildError } from "../errors.js";
import { ensureWheelhouse, wheelsFor } from "./wheelhouse.js";

// Uses the host's pip and its configured package index, as `bases build` does.
let cacheDir: string;
const progress: string[] = [];
const host = () => ({
  cacheDir,
  signal: new AbortController().signal,
  progress: (l: string) => progress.push(l),
  caBundle: "",
});

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), "slimstage-wheelhouse-"));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

describe("ensureWheelhouse", () => {
  it("downloads what it can when one project is missing from the index, and says which", async () => {
    const list = join(cacheDir, "list.txt");
    await writeFile(list, "# test\niniconfig\nslimstage-no-such-project-xyz\n");
    const dir = await ensureWheelhouse(host(), list);
    expect((await readdir(dir)).some((f) => f.startsWith("iniconfig-"))).toBe(true);
    expect(progress.join("\n")).toContain("slimstage-no-such-project-xyz");
    expect(await wheelsFor(dir, ["iniconfig"])).toHaveLength(1);
    await expect(wheelsFor(dir, ["pip"])).rejects.toBeInstanceOf(BuildError);
  }, 120_000);

  it("fails when a project the Python base needs cannot be fetched", async () => {
    const list = join(cacheDir, "list2.txt");
    await writeFile(list, "pip==0.0.0.1\n");
    // pip==0.0.0.1 does not exist: an essential line that fails.
    await expect(ensureWheelhouse(host(), list)).rejects.toBeInstanceOf(BuildError);
  }, 120_000);
});
