import { describe, expect, it } from "vitest";
import { difference, learnMask } from "./mask.js";
import type { HttpAnswer } from "./probes/http.js";

const answer = (body: string, contentType = "text/html; charset=utf-8", status = 200): HttpAnswer => ({
  status,
  contentType,
  body,
  bytes: Buffer.from(body),
  truncated: false,
});

const form = (token: string, at: string) =>
  `<form><input type='hidden' name='csrf_token' value='${token}'><p>Generated at ${at}</p></form>`;

describe("masking what differs between two runs of the original", () => {
  it("masks a CSRF token and a timestamp, and still catches a changed word", () => {
    const a = answer(form("3f9a0c", "2026-12-06T05:00:01.123+00:00"));
    const b = answer(form("b71e44", "2026-12-06T05:00:04.987+00:00"));
    const cmp = learnMask(a, b);
    expect(cmp.kind).toBe("masked");
    if (cmp.kind !== "masked") return;
    // The token, and the whole time (its minute too, though only the seconds changed).
    expect(cmp.examples).toEqual([
      "3f9a0c / b71e44",
      "2026-12-06T05:00:01.123+00:00 / 2026-12-06T05:00:04.987+00:00",
    ]);
    expect(cmp.positions).toHaveLength(2);
    const c = answer(form("0d0d0d", "2026-12-06T05:01:09.555+00:00"));
    expect(difference(a, c, cmp)).toBeUndefined();
    const broken = answer(form("0d0d0d", "2026-12-06T05:01:09.555+00:00").replace("Generated", "Made"));
    expect(difference(a, broken, cmp)).toMatch(/token \d+: "Made", the original "Generated"/);
  });

  it("compares identical answers byte for byte", () => {
    const css = answer("body { color: red; }", "text/css");
    const cmp = learnMask(css, answer("body { color: red; }", "text/css"));
    expect(cmp).toEqual({ kind: "exact" });
    expect(difference(css, answer("body { color: blue; }", "text/css"), cmp)).toMatch(/body differs/);
    // A stylesheet answered with the HTML index is caught by its type first.
    expect(difference(css, answer("<html>", "text/html"), cmp)).toBe(
      "content type text/html, the original answers text/css",
    );
    expect(difference(css, answer("", "text/css", 404), cmp)).toBe("status 404, the original answers 200");
  });

  it("falls back to status and type when the original's runs differ in shape", () => {
    const cmp = learnMask(answer("a b c"), answer("a b c d e"));
    expect(cmp.kind).toBe("unstable");
    expect(difference(answer("a b c"), answer("x"), cmp)).toBeUndefined();
    expect(difference(answer("a b c"), answer("x", "text/html", 500), cmp)).toMatch(/status 500/);
  });
});
