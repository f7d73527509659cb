import { describe, expect, it } from "vitest";
import type { RequestEvidence, VerifyResult } from "../verify/types.js";
import { formatVerifyReport } from "./verify-report.js";

const f = { verbose: false, formatMs: (ms: number) => `${ms} ms`, formatBytes: (n: number) => `${n} B` };
const answer = (status: number, contentType: string) => ({
  status,
  contentType,
  bytes: 10,
  sha256: "x",
  excerpt: "",
});
const req = (request: string, verdict: RequestEvidence["verdict"], detail?: string): RequestEvidence => ({
  request,
  source: "link from /",
  verdict,
  original: answer(200, "text/css"),
  candidate: answer(verdict === "differs" ? 404 : 200, "text/css"),
  ...(detail ? { detail } : {}),
});

const base: VerifyResult = {
  image: "app:slim",
  ok: true,
  probes: [
    { probe: { kind: "http", port: 8000, path: "/" }, ok: true, detail: "200", durationMs: 5, attempts: 1 },
  ],
  sidecars: [],
  liveness: { ok: true, graceMs: 3000 },
  durationMs: 100,
};

describe("the terminal report of a verification", () => {
  it("names the probes a plain verification covered", () => {
    const { out } = formatVerifyReport(base, f);
    expect(out.at(-1)).toBe("verified app:slim: 1 probe (http :8000/), up 3000 ms after the last request");
  });

  it("names the request set of a differential one, and each difference with both answers", () => {
    const evidence = {
      against: "app:1",
      truncated: [],
      masked: [{ request: "GET :8000/form", what: "1 of 40 tokens masked" }],
      durationMs: 1,
      originalRuns: [],
    };
    const ok = formatVerifyReport(
      {
        ...base,
        differential: {
          ...evidence,
          requests: [req("GET :8000/", "identical"), req("GET :8000/form", "identical-masked")],
          identical: 2,
          differing: 0,
        },
      },
      f,
    );
    expect(ok.out).toContain("mask  GET :8000/form: 1 of 40 tokens masked");
    expect(ok.out.at(-1)).toMatch(
      /^verified app:slim: 2 requests, 2 identical to the original app:1 \(1 with masked run-to-run differences\)/,
    );
    const bad = formatVerifyReport(
      {
        ...base,
        ok: false,
        error: "1 of 2 requests answer differently",
        failedProbe: { probe: "GET :8000/app.css", expected: "200 text/css", got: "404 text/html" },
        logs: "line 1\nTraceback: boom\n",
        differential: {
          ...evidence,
          requests: [
            req("GET :8000/", "identical"),
            req("GET :8000/app.css", "differs", "status 404, the original answers 200"),
          ],
          identical: 1,
          differing: 1,
        },
      },
      f,
    );
    expect(bad.out[1]).toBe(
      "DIFF  GET :8000/app.css [link from /] 200 -> 404: status 404, the original answers 200",
    );
    expect(bad.out.at(-1)).toBe("FAILED app:slim");
    expect(bad.err).toEqual([
      "slimstage: verification failed: 1 of 2 requests answer differently",
      "  failing: GET :8000/app.css",
      "  expected: 200 text/css",
      "  got: 404 text/html",
      "--- container output ---",
      "line 1\nTraceback: boom",
    ]);
  });
});
