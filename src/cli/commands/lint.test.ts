import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, runCli } from "../../../test/cli.js";

// Made when the tests start (not on import: `vitest list` imports without running afterAll).
let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "slimstage-lint-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const slimstage = (...args: string[]): Promise<CliResult> =>
  runCli(args, { cwd: dir, env: { NO_COLOR: "1" } });

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

// Each case spawns the CLI through tsx (1-3 s each on a busy machine).
describe("slimstage lint", { timeout: 90_000 }, () => {
  it("exits 0 on a clean Dockerfile and 1 on warnings", async () => {
    file(".dockerignore", ".git\nnode_modules\n.venv\nvenv\n**/__pycache__\n");
    const clean = file(
      "clean.Dockerfile",
      `FROM python:3.12-slim@sha256:${"a".repeat(64)}\nUSER app\nCMD ["python"]\n`,
    );
    expect((await slimstage("lint", clean)).code).toBe(0);
    const bad = file("bad.Dockerfile", "FROM python:3.12-slim\nRUN pip install flask\n");
    const r = await slimstage("lint", bad, "--today", "2026-11-22");
    expect(r.code).toBe(1);
    // The hadolint code is shown beside the SS id.
    expect(r.stdout).toContain("SS105/DL3042 pip-no-cache-dir");
    expect(r.stdout).toContain("2 | RUN pip install flask");
  });

  it("--threshold error passes warnings; --format json and --json print one document", async () => {
    const bad = file("warn.Dockerfile", "FROM python:3.12-slim\nRUN pip install flask\n");
    expect((await slimstage("lint", bad, "--threshold", "error")).code).toBe(0);
    const r = await slimstage("--json", "lint", bad);
    const doc = JSON.parse(r.stdout) as {
      summary: { findings: number };
      files: Array<{ findings: Array<{ ruleId: string }> }>;
    };
    expect(doc.files[0]!.findings.map((f) => f.ruleId)).toContain("SS105");
    const s = await slimstage("lint", "-f", "sarif", bad);
    expect((JSON.parse(s.stdout) as { version: string }).version).toBe("2.1.0");
  });

  it("a Dockerfile that does not parse gives one parse finding and exit 2", async () => {
    const broken = file("broken.Dockerfile", 'FROM debian:12\nCMD ["a", ["nested"]]\n');
    const r = await slimstage("lint", broken);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("SS000 parse-error");
    expect(r.stdout).toContain("2:");
  });

  it("a broken config names the key and the reason (exit 2)", async () => {
    file("bad.yaml", "failureThreshold: loud\n");
    const df = file("ok.Dockerfile", "FROM scratch\n");
    const r = await slimstage("lint", "-c", "bad.yaml", df);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("failureThreshold");
    expect(r.stderr).toContain("must be one of");
  });

  it("lint - reads standard input; --failure-threshold and DL codes work as in hadolint", async () => {
    const r = await runCli(
      ["lint", "-", "--failure-threshold", "error", "--ignore", "DL3042", "-f", "json"],
      {
        cwd: dir,
        env: { NO_COLOR: "1" },
        input: "FROM python:3.12-slim\nRUN pip install flask\n",
      },
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      threshold: string;
      files: Array<{ file: string; findings: Array<{ ruleId: string }> }>;
    };
    expect(doc.threshold).toBe("error");
    expect(doc.files[0]!.file).toBe("-");
    expect(doc.files[0]!.findings.map((f) => f.ruleId)).not.toContain("SS105");
  });

  it("unknown rule ids in the config are reported as findings", async () => {
    file("ids.yaml", "ignore: [SS105, no-such-rule]\n");
    const df = file("ids.Dockerfile", "FROM python:3.12-slim\nRUN pip install flask\n");
    const r = await slimstage("lint", "-c", "ids.yaml", df, "--threshold", "error");
    expect(r.stdout).toContain('unknown rule id "no-such-rule"');
    expect(r.stdout).not.toContain("SS105/DL3042 pip-no-cache-dir");
  });

  it("--fix --dry-run prints a diff and changes nothing; --fix rewrites the file", async () => {
    const text = "FROM python:3.12-slim\n# comment  kept\nRUN pip install flask\nCMD python app.py\n";
    const df = file("fix.Dockerfile", text);
    const dry = await slimstage("lint", "--fix", "--dry-run", df);
    expect(dry.stdout).toContain("+RUN pip install --no-cache-dir flask");
    expect(readFileSync(join(dir, df), "utf8")).toBe(text);
    await slimstage("lint", "--fix", df);
    expect(readFileSync(join(dir, df), "utf8")).toBe(
      'FROM python:3.12-slim\n# comment  kept\nRUN pip install --no-cache-dir flask\nCMD ["python", "app.py"]\n',
    );
  });

  it("--fix applies overlapping fixes of one instruction in rounds, in one run", async () => {
    const df = file(
      "rounds.Dockerfile",
      "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install curl\n",
    );
    const r = await slimstage("lint", "--fix", "--dry-run", df);
    expect(r.stdout).toContain(
      "+RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
    );
    expect(r.stderr + r.stdout).not.toContain("skipped");
  });

  it("an unknown --ignore id is an input error (exit 2)", async () => {
    const df = file("ign.Dockerfile", "FROM scratch\n");
    const r = await slimstage("lint", "--ignore", "SS999", df);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--ignore SS999: unknown rule id");
  });

  it("a missing file is an input error (exit 2)", async () => {
    const r = await slimstage("lint", "no-such.Dockerfile");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no-such.Dockerfile");
  });
});
