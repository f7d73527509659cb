import { describe, expect, it } from "vitest";
import { BuildStepError } from "../engine/build/build.js";
import { BuildError, VerifyError } from "../errors.js";
import { failsEveryTier, failureReason, verifyFailureReason } from "./failure.js";

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

describe("verifyFailureReason", () => {
  it("adds the app's last output lines to the verification error", () => {
    expect(
      verifyFailureReason({
        error: "the container got no address on the run's network",
        logs: "\n[FATAL tini (7)] exec sh failed: No such file or directory\n",
      }),
    ).toBe(
      "the container got no address on the run's network; the app's output ends: [FATAL tini (7)] exec sh failed: No such file or directory",
    );
  });

  it("names the error line of a Node crash, not its closing banner", () => {
    const logs = [
      "node:internal/process/promises:394",
      "Error: getaddrinfo ENOTFOUND redis",
      "    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:120:26)",
      "}",
      "",
      "Node.js v22.23.3",
    ].join("\n");
    expect(verifyFailureReason({ error: "the container exited with code 1", logs })).toBe(
      "the container exited with code 1; the app failed with: Error: getaddrinfo ENOTFOUND redis (its output ends: } | Node.js v22.23.3). The app looked up the host redis and nothing answers to that name: verification starts as sidecars only the compose service's depends_on (--compose FILE --service NAME picks the service); add redis to that service's depends_on",
    );
  });

  it("names the host a Python client could not resolve (redis-py, libpq); none for other failures", () => {
    for (const [line, host] of [
      [
        "redis.exceptions.ConnectionError: Error -2 connecting to cache:6379. Name or service not known.",
        "cache",
      ],
      ['psycopg2.OperationalError: could not translate host name "db" to address', "db"],
      ["Error: getaddrinfo EAI_AGAIN queue.internal", "queue.internal"],
    ] as const)
      expect(verifyFailureReason({ error: "probe failed", logs: line })).toContain(
        `looked up the host ${host} and nothing answers`,
      );
    expect(
      verifyFailureReason({ error: "probe failed", logs: "Error: connect ECONNREFUSED 127.0.0.1:6379" }),
    ).not.toContain("looked up the host");
  });

  it("is the error alone when the app printed nothing", () => {
    expect(verifyFailureReason({ error: "probe GET / failed", logTail: ["", " "] })).toBe(
      "probe GET / failed",
    );
    expect(verifyFailureReason({})).toBe("a probe failed");
  });
});
