import { describe, expect, it } from "vitest";
import { verifyFailureReason } from "./failure-reason.js";

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

  it("leaves out the app's colour codes (Werkzeug's banner is yellow)", () => {
    const r = verifyFailureReason({
      error: "probe failed",
      logs: "\u001b[33mPress CTRL+C to quit\u001b[0m\nFileNotFoundError: [Errno 2] No such file or directory: '/run/secrets/db-password'",
    });
    expect(r).not.toContain("\u001b");
    expect(r).toContain("the app's output ends: Press CTRL+C to quit | FileNotFoundError");
  });

  it("is the error alone when the app printed nothing", () => {
    expect(verifyFailureReason({ error: "probe GET / failed", logTail: ["", " "] })).toBe(
      "probe GET / failed",
    );
    expect(verifyFailureReason({})).toBe("a probe failed");
  });
});
