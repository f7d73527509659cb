import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const cli = ["--import", "tsx", "src/cli/main.ts"];

async function slimstage(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("node", [...cli, ...args], { env: { ...process.env, SLIMSTAGE_MAIN: "1" } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("cli frame", () => {
  it("prints help with examples and exit codes", async () => {
    const r = await slimstage("--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toContain("Exit codes:");
  });

  it("prints the package version", async () => {
    const r = await slimstage("--version");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("exits 2 on an unknown flag", async () => {
    const r = await slimstage("--no-such-flag");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option");
  });

  it("exits 2 on an unknown command", async () => {
    const r = await slimstage("frobnicate");
    expect(r.code).toBe(2);
  });
});
