import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { InterruptedError, VerifyError } from "../errors.js";
import { leaveOutDir, OUT_FILES, prepareOutDir } from "./out-dir.js";

const dirs: string[] = [];
afterEach(async () => {
  while (dirs.length > 0) await rm(dirs.pop() as string, { recursive: true, force: true });
});
const temp = async () => {
  const d = await mkdtemp(join(tmpdir(), "slimstage-out-dir-"));
  dirs.push(d);
  return d;
};

describe("the --out folder", () => {
  it("with --force replaces every file an earlier run wrote, the bytecode stage's too, and nothing else", async () => {
    const dir = await temp();
    for (const f of OUT_FILES) await writeFile(join(dir, f), "earlier run");
    expect(OUT_FILES).toEqual(expect.arrayContaining(["bytecode.txt", "bytecode.py"]));
    await expect(prepareOutDir(dir, false)).rejects.toThrow(/is not empty/);
    await expect(prepareOutDir(dir, true)).resolves.toBe(false);
    await writeFile(join(dir, "notes.txt"), "mine");
    await expect(prepareOutDir(dir, true)).rejects.toMatchObject({
      hint: expect.stringMatching(/choose an empty or new directory/),
    });
  });

  it("after a failure: an interrupted run's new folder goes whole, a failed build's stays for a look", async () => {
    const parent = await temp();
    const made = join(parent, "out");
    expect(await prepareOutDir(made, false)).toBe(true);
    await writeFile(join(made, "Dockerfile"), "FROM scratch\n");
    await leaveOutDir(made, true, new VerifyError("build failed"));
    expect(await readdir(made)).toEqual(["Dockerfile"]);
    await leaveOutDir(made, true, new InterruptedError("SIGINT"));
    await expect(stat(made)).rejects.toThrow(/ENOENT/);
    // A folder the user had is never removed.
    const theirs = await temp();
    await writeFile(join(theirs, "Dockerfile"), "FROM scratch\n");
    await leaveOutDir(theirs, false, new InterruptedError("SIGINT"));
    expect(await readdir(theirs)).toEqual(["Dockerfile"]);
  });
});
