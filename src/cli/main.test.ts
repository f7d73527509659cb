import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CliResult, runCli } from "../../test/cli.js";

const slimstageIn = (cwd: string, ...args: string[]): Promise<CliResult> => runCli(args, { cwd });
const slimstage = (...args: string[]): Promise<CliResult> => runCli(args);

describe("cli frame", () => {
  it("prints help with examples and exit codes", async () => {
    const r = await slimstage("--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toContain("Exit codes:");
  });

  it("stops quietly with 141 when the reader of stdout goes away (| head)", async () => {
    const r = await runCli(["lint", "--help"], { closeStdout: true });
    expect(r.stderr).not.toContain("EPIPE");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(141);
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

  it("prints a usage error as JSON on stdout with --json", async () => {
    const r = await slimstage("inspect", "--no-such-flag", "--json");
    expect(r.code).toBe(2);
    const body = JSON.parse(r.stdout) as { error: { kind: string; type: string; message: string } };
    expect(body.error).toEqual({
      kind: "input",
      type: "commander.unknownOption",
      message: "unknown option '--no-such-flag'",
    });
  });

  it("exits 2 on an unknown command", async () => {
    const r = await slimstage("frobnicate");
    expect(r.code).toBe(2);
  });

  it("reports a config error as JSON with its kind, place and key, exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slimstage-main-"));
    try {
      writeFileSync(join(dir, "Dockerfile"), "FROM debian:bookworm-slim\n");
      writeFileSync(join(dir, ".slimstage.yaml"), "no-such-key: 1\n");
      const r = await slimstageIn(dir, "lint", "Dockerfile", "--json");
      expect(r.code).toBe(2);
      const body = JSON.parse(r.stdout) as {
        error: { kind: string; key?: string; location?: { line: number } };
      };
      expect(body.error.kind).toBe("input");
      expect(body.error.key).toBe("no-such-key");
      expect(body.error.location?.line).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
