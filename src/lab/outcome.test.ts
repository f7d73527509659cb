import { describe, expect, it } from "vitest";
import type { LabVariant } from "./lab-config.js";
import { judgeOutcome } from "./outcome.js";
import { toVerifyProbes } from "./run-lab.js";

const works: LabVariant = { name: "v", dockerfile: "Dockerfile", expect: "works" };
const failsBuild: LabVariant = {
  name: "multi",
  dockerfile: "Dockerfile.multi",
  expect: {
    fails: "build",
    diagnosis: { build: "/app/venv.*not found", lint: ["SS403"], explain: "no venv" },
  },
};
const failsVerify: LabVariant = {
  name: "no-libpq",
  dockerfile: "Dockerfile.no-libpq",
  expect: { fails: "verify", diagnosis: { logs: "libpq.so.5: cannot open", explain: "needs libpq5" } },
};
const okVerify = { ok: true, startupMs: 500, peakMemoryBytes: null, probes: [] };
const badBuild = {
  ok: false,
  durationMs: 10,
  steps: [],
  error: 'failed to compute cache key: "/app/venv": not found',
  outputTail: [],
};

describe("judgeOutcome", () => {
  it("works: built and probed", () => {
    expect(judgeOutcome(works, { build: { ok: true, durationMs: 1, steps: [] }, verify: okVerify })).toEqual({
      status: "works",
      asExpected: true,
      summary: "built and passed its probe",
    });
  });

  it("a variant that must work and fails its build is not as expected", () => {
    const o = judgeOutcome(works, { build: badBuild });
    expect(o.status).toBe("build-failed");
    expect(o.asExpected).toBe(false);
    expect(o.summary).toMatch(/^expected to work; build failed: failed to compute cache key/);
  });

  it("fails as expected when the build error and the linter both match", () => {
    const lint = [
      {
        ruleId: "SS403",
        severity: "error",
        category: "correctness",
        message: "never creates /app/venv",
        line: 18,
      },
    ];
    const o = judgeOutcome(failsBuild, { build: badBuild, lint });
    expect(o.asExpected).toBe(true);
    expect(o.summary).toMatch(
      /^fails as expected: no venv \(build error matches .*; linter: SS403 at line 18\)/,
    );
  });

  it("a failure without the expected lint finding is not the expected diagnosis", () => {
    const o = judgeOutcome(failsBuild, { build: badBuild, lint: [] });
    expect(o.asExpected).toBe(false);
    expect(o.summary).toMatch(/the linter did not report SS403/);
  });

  it("a failure with another error is not the expected diagnosis", () => {
    const lint = [{ ruleId: "SS403", severity: "error", category: "correctness", message: "x" }];
    const o = judgeOutcome(failsBuild, { build: { ...badBuild, error: "network unreachable" }, lint });
    expect(o.asExpected).toBe(false);
    expect(o.summary).toMatch(/build error does not match/);
  });

  it("a variant expected to fail that works is not as expected", () => {
    const o = judgeOutcome(failsBuild, { build: { ok: true, durationMs: 1, steps: [] }, verify: okVerify });
    expect(o).toMatchObject({ status: "works", asExpected: false });
    expect(o.summary).toMatch(/^expected to fail its build; built and passed its probe/);
  });

  it("fails verification as expected when the logs match", () => {
    const verify = {
      ok: false,
      startupMs: null,
      peakMemoryBytes: null,
      probes: [],
      error: "the container exited with code 1",
      logsTail: "ImportError: libpq.so.5: cannot open shared object file: No such file or directory",
    };
    const o = judgeOutcome(failsVerify, { build: { ok: true, durationMs: 1, steps: [] }, verify });
    expect(o).toMatchObject({ status: "verify-failed", asExpected: true });
    expect(
      judgeOutcome(failsVerify, {
        build: { ok: true, durationMs: 1, steps: [] },
        verify: { ...verify, logsTail: "" },
      }).asExpected,
    ).toBe(false);
  });

  it("points at `slimstage bases build` when a base image is missing", () => {
    const o = judgeOutcome(works, {
      error: 'could not analyze python:3.11-slim: no image "python:3.11-slim" in the engine',
    });
    expect(o.summary).toMatch(/run `slimstage bases build`/);
    const b = judgeOutcome(works, {
      build: {
        ...badBuild,
        error: "failed to resolve source metadata for docker.io/library/python:3.11-slim",
      },
    });
    expect(b.summary).toMatch(/run `slimstage bases build`/);
    expect(judgeOutcome(works, { build: badBuild }).summary).not.toMatch(/bases build/);
  });

  it("an analysis error is an error", () => {
    const o = judgeOutcome(works, {
      build: { ok: true, durationMs: 1, steps: [] },
      error: "could not analyze",
    });
    expect(o).toMatchObject({ status: "error", asExpected: false });
  });
});

describe("toVerifyProbes", () => {
  it("a body list becomes a sequence of requests (the counter goes up)", () => {
    const r = toVerifyProbes(
      { http: { port: 5000, path: "/", status: 200, body: ["seen 1 times", "seen 2 times"] } },
      null,
    );
    expect(r).toEqual({
      probes: [
        {
          kind: "http",
          port: 5000,
          path: "/",
          expectStatus: 200,
          expectSequence: ["seen 1 times", "seen 2 times"],
          repeat: 2,
        },
      ],
    });
  });

  it("a one-shot app is kept up and its own command run inside it", () => {
    const r = toVerifyProbes({ command: { output: "Hello" } }, ["python3", "app.py"]);
    expect(r).toEqual({
      probes: [{ kind: "cmd", command: "python3 app.py", expectOutput: "Hello", expectExitCode: 0 }],
      command: ["sleep", "infinity"],
    });
    const q = toVerifyProbes({ command: { run: ["python", "-c", "print('hi there')"] } }, null);
    expect(q.probes[0]).toMatchObject({ command: `python -c 'print('\\''hi there'\\'')'` });
  });
});
