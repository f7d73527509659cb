import { readdir } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { type CliResult, runCli } from "../../../test/cli.js";
import {
  ambiguousPython,
  noProject,
  poetryProject,
  uvOutOfSync,
  writeFixture,
} from "../../plan/testdata/fixtures.js";

function slimstage(...args: string[]): Promise<CliResult> {
  return runCli(args);
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function fixture(fx: Record<string, string>): Promise<string> {
  const { dir, cleanup } = await writeFixture(fx);
  cleanups.push(cleanup);
  return dir;
}

// Each case spawns the CLI (a few seconds each on a loaded machine).
describe("slimstage optimize (no engine)", { timeout: 120_000 }, () => {
  it("--plan-only prints the plan, says nothing was proven, and writes nothing", async () => {
    const dir = await fixture(poetryProject);
    const before = await readdir(dir);
    const r = await slimstage("optimize", dir, "--plan-only", "--tier", "slim");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("slim       planned only (not built, not verified)");
    expect(r.stdout).toContain("FROM debian:bookworm-slim AS runtime");
    expect(r.stdout).toContain("--- requirements.slimstage.txt ---");
    expect(await readdir(dir)).toEqual(before);
  });

  it("--json plan", async () => {
    const dir = await fixture(poetryProject);
    const r = await slimstage("optimize", dir, "--plan-only", "--json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      ok: boolean;
      attempts: Array<{ tier: string; status: string }>;
      decisions: unknown[];
    };
    expect(doc.ok).toBe(false);
    expect(doc.attempts).toEqual([expect.objectContaining({ tier: "distroless", status: "planned" })]);
    expect(doc.decisions.length).toBeGreaterThan(3);
  });

  it("exits 2 naming what to pass: no project, ambiguous entry, lock out of sync, bad flags", async () => {
    const none = await slimstage("optimize", await fixture(noProject), "--plan-only");
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no Python or Node project found");
    const amb = await slimstage("optimize", await fixture(ambiguousPython), "--plan-only");
    expect(amb.code).toBe(2);
    expect(amb.stderr).toContain("--entry");
    const lock = await slimstage("optimize", await fixture(uvOutOfSync), "--plan-only");
    expect(lock.code).toBe(2);
    expect(lock.stderr).toContain("uv.lock is out of sync with pyproject.toml: redis is not locked");
    const port = await slimstage("optimize", await fixture(poetryProject), "--plan-only", "--port", "http");
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("--port http is not a port number");
    const entry = await slimstage(
      "optimize",
      await fixture(poetryProject),
      "--plan-only",
      "--entry",
      "python app.py && echo",
    );
    expect(entry.code).toBe(2);
    const tier = await slimstage("optimize", await fixture(poetryProject), "--tier", "tiny");
    expect(tier.code).toBe(2);
  });
});
