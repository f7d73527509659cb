import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, runCli } from "../../../test/cli.js";

// Input errors are found before the engine is asked anything: no engine needed.
const slimstage = (...args: string[]): Promise<CliResult> =>
  runCli(args, { env: { NO_COLOR: "1", DOCKER_HOST: "unix:///nonexistent/docker.sock" } });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-cli-minify-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("slimstage minify (bad input, no engine)", { timeout: 120_000 }, () => {
  it("exits 2 on bad flags, naming them", async () => {
    const out = join(dir, "out");
    const cases: Array<[string[], RegExp]> = [
      [["--probe", "ftp://x"], /probe/i],
      [["--probe", "tcp:5000", "--timeout", "0"], /--timeout "0" must be a positive number/],
      [["--probe", "tcp:5000", "--compose", "c.yml"], /--compose and --service go together/],
      [["--probe", "tcp:5000", "--include", "usr/lib"], /--include "usr\/lib" must be an absolute path/],
      [["--probe", "tcp:5000", "--env", "=x"], /--env "=x" must look like NAME=VALUE/],
    ];
    for (const [args, message] of cases) {
      const r = await slimstage("minify", "app:1", "--out", out, ...args);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it("refuses an output directory that holds other files, before running anything", async () => {
    const out = join(dir, "taken");
    await rm(out, { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.mkdir(out));
    await writeFile(join(out, "mine.txt"), "keep me");
    const r = await slimstage("minify", "app:1", "--out", out, "--probe", "tcp:5000");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not empty \(mine\.txt\)/);
    expect(await readdir(out)).toEqual(["mine.txt"]);
  });

  it("exits 3 naming the engine when there is none", async () => {
    const r = await slimstage(
      "--json",
      "minify",
      "app:1",
      "--out",
      join(dir, "noengine"),
      "--probe",
      "tcp:5000",
    );
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { kind: "engine" } });
    // The output directory it made is removed again: nothing was written.
    await expect(readdir(join(dir, "noengine"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
