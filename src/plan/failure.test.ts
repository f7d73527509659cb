import { describe, expect, it } from "vitest";
import { BuildStepError } from "../engine/build/build.js";
import { BuildError, VerifyError } from "../errors.js";
import { failsEveryTier, failureReason } from "./failure.js";

const PYTEST = [
  "============================= test session starts ==============================",
  "collected 2 items",
  "tests/test_app.py .F                                                     [100%]",
  "=================================== FAILURES ===================================",
  "_________________________________ test_hello __________________________________",
  "    def test_hello():",
  ">       assert hello() == 'Hello, World!'",
  "E       AssertionError: assert 'Hi' == 'Hello, World!'",
  "tests/test_app.py:5: AssertionError",
  "=========================== short test summary info ============================",
  "FAILED tests/test_app.py::test_hello - AssertionError: assert 'Hi' == 'Hello, World!'",
  "========================= 1 failed, 1 passed in 0.05s ==========================",
];

function stepError(stage: string, output: string[]): BuildStepError {
  return new BuildStepError("failed", {
    step: {
      id: 9,
      name: `[${stage} 4/4] RUN python -m pytest -q`,
      stage,
      instruction: "RUN python -m pytest -q",
      internal: false,
      durationMs: 1,
      cached: false,
      output,
    },
    outputTail: output.slice(-3),
    dockerfile: "Dockerfile",
    log: output.join("\n"),
  });
}

describe("why a tier failed", () => {
  it("a failing test stage shows the failing test's own output", () => {
    const r = failureReason(stepError("test", PYTEST));
    expect(r).toContain("the tests failed in the test stage (RUN python -m pytest -q; every tier runs them");
    expect(r).toContain("--no-tests");
    expect(r).toContain("E       AssertionError: assert 'Hi' == 'Hello, World!'");
    expect(r).toContain("tests/test_app.py:5: AssertionError");
    expect(r).not.toContain("test session starts");
  });

  it("another failing step keeps the short form", () => {
    const r = failureReason(stepError("deps", ["ERROR: No matching distribution found for nothere"]));
    expect(r).toBe(
      "build failed at [deps 4/4] RUN python -m pytest -q: ERROR: No matching distribution found for nothere",
    );
  });
});

describe("failures no other tier can pass", () => {
  it("are the shared test stage and a build refused before it started; not a runtime step or a verification", () => {
    expect(failsEveryTier(stepError("test", PYTEST))).toBe(true);
    expect(failsEveryTier(new BuildError("the host's pip index has no CPython 3.11 wheel for nothere"))).toBe(
      true,
    );
    expect(failsEveryTier(stepError("runtime", ["exec sh failed"]))).toBe(false);
    expect(failsEveryTier(stepError("deps", ["No matching distribution"]))).toBe(false);
    expect(failsEveryTier(new VerifyError("probe failed"))).toBe(false);
  });
});
