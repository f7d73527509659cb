import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { STDLIB_USED_SCRIPT } from "./python.js";

const run = promisify(execFile);

/** An installed distribution on a PYTHONPATH folder: a package, its dist-info, and what its modules import. */
async function site(dir: string): Promise<void> {
  const pkg = path.join(dir, "webthing");
  await mkdir(pkg, { recursive: true });
  // The package imports json; a submodule (as werkzeug.serving) imports http.server; another fails on import.
  await writeFile(path.join(pkg, "__init__.py"), "import json\n");
  await writeFile(path.join(pkg, "serving.py"), "import http.server\n");
  await writeFile(path.join(pkg, "broken.py"), "import csv\nraise RuntimeError('needs settings')\n");
  // A package's command line is not imported: it would run (here: import wave, then wait for an hour).
  await writeFile(path.join(pkg, "__main__.py"), "import wave\nimport time\ntime.sleep(3600)\n");
  await writeFile(path.join(dir, "single.py"), "import sqlite3\n");
  const info = path.join(dir, "webthing-1.0.dist-info");
  await mkdir(info);
  await writeFile(path.join(info, "METADATA"), "Metadata-Version: 2.1\nName: webthing\nVersion: 1.0\n");
  await writeFile(path.join(info, "top_level.txt"), "webthing\n");
  // A distribution without top_level.txt: its top-level names come from RECORD.
  const single = path.join(dir, "single-2.0.dist-info");
  await mkdir(single);
  await writeFile(path.join(single, "METADATA"), "Metadata-Version: 2.1\nName: single\nVersion: 2.0\n");
  await writeFile(path.join(single, "RECORD"), "single.py,,\nsingle-2.0.dist-info/METADATA,,\n");
}

describe("the standard-library modules the dependencies load (compiled in the builder)", () => {
  it("lists what the packages and their direct submodules import, past a failing import, without site-packages", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "slimstage-stdlib-used-"));
    try {
      await site(path.join(dir, "site"));
      await writeFile(path.join(dir, "script.py"), STDLIB_USED_SCRIPT.join("\n"));
      const list = path.join(dir, "used.txt");
      // -S: only the folder above is searched for distributions, not the host's site-packages.
      await run("python3", ["-S", path.join(dir, "script.py"), list], {
        env: { ...process.env, PYTHONPATH: path.join(dir, "site") },
      });
      const used = (await readFile(list, "utf8")).trim().split("\n");
      const std = (
        await run("python3", ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"])
      ).stdout.trim();
      for (const m of [
        "json/__init__.py",
        "http/server.py",
        "csv.py",
        "sqlite3/__init__.py",
        "socketserver.py",
      ])
        expect(used).toContain(path.join(std, m));
      expect(used.every((f) => f.startsWith(`${std}/`) && f.endsWith(".py"))).toBe(true);
      expect(used.some((f) => f.includes("site-packages") || f.startsWith(dir))).toBe(false);
      // Only what was loaded: not the whole standard library.
      expect(used).not.toContain(path.join(std, "tkinter/__init__.py"));
      expect(used).not.toContain(path.join(std, "wave.py"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
