import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { compileCommand } from "./python.js";

const run = promisify(execFile);

/** Compiles the same source in a fresh folder with the given mtime, as a rebuild would, and returns the .pyc bytes. */
async function compileAt(mtime: Date): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), "slimstage-pyc-"));
  try {
    const app = path.join(dir, "app");
    await mkdir(app);
    await writeFile(path.join(app, "mod.py"), "def f():\n    return 42\n");
    await utimes(path.join(app, "mod.py"), mtime, mtime);
    // The generated command, run by the host's python3 from the folder the image's WORKDIR would be.
    const argv = compileCommand(["app"]).split(" ");
    await run("python3", argv.slice(1), { cwd: dir });
    const pyc = (
      await run("python3", ["-c", "import importlib.util as u; print(u.cache_from_source('app/mod.py'))"], {
        cwd: dir,
      })
    ).stdout.trim();
    return await readFile(path.join(dir, pyc));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("bytecode compiled in the builder", () => {
  it("is byte-identical across rebuilds with different source mtimes (unchecked-hash .pyc)", async () => {
    const a = await compileAt(new Date("2020-01-01T00:00:00Z"));
    const b = await compileAt(new Date("2026-06-01T12:34:56Z"));
    expect(a.equals(b)).toBe(true);
    // PEP 552 flags word: 0b01 = hash-based, 0b10 = check_source; unchecked-hash is 0b01.
    expect(a.readUInt32LE(4)).toBe(1);
  }, 60_000);
});
