import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startPackageIndex } from "./index-server.js";
import { requirementLines } from "./wheelhouse-run.js";

describe("a wheelhouse and index per run", () => {
  it("reads the project's requirement files with their includes, leaving local paths and options out", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "slimstage-req-"));
    try {
      await writeFile(
        path.join(dir, "requirements.txt"),
        "-r base.txt\nDjango==5.2.17  # web\n./localpkg\n--no-binary foo\n",
      );
      await writeFile(path.join(dir, "base.txt"), "pymongo\nflake8\n");
      const lines = await requirementLines({
        files: [path.join(dir, "requirements.txt")],
        lines: ["pytest", "pymongo"],
      });
      expect(lines).toEqual(["pymongo", "flake8", "Django==5.2.17", "pytest", "setuptools", "wheel"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("two runs get two indexes on free ports, each serving its own folder", async () => {
    const a = await mkdtemp(path.join(tmpdir(), "slimstage-wa-"));
    const b = await mkdtemp(path.join(tmpdir(), "slimstage-wb-"));
    await writeFile(path.join(a, "alpha-1.0-py3-none-any.whl"), "a");
    await writeFile(path.join(b, "beta-1.0-py3-none-any.whl"), "b");
    const ia = await startPackageIndex({ dir: a, port: 0 });
    const ib = await startPackageIndex({ dir: b, port: 0 });
    try {
      expect(ia.owned && ib.owned).toBe(true);
      expect(ia.url).not.toBe(ib.url);
      expect(ia.url).not.toContain(":3141/");
      expect(await (await fetch(ia.url)).text()).toContain("alpha-1.0");
      const listing = await (await fetch(ib.url)).text();
      expect(listing).toContain("beta-1.0");
      expect(listing).not.toContain("alpha");
    } finally {
      await ia.close();
      await ib.close();
      await rm(a, { recursive: true, force: true });
      await rm(b, { recursive: true, force: true });
    }
  });
});
