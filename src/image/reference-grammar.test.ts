import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { checkImageReference, imageReferenceProblem } from "./reference-grammar.js";

describe("image reference grammar", () => {
  it.each([
    "python:3.11-slim",
    "debian",
    "localhost:5000/app:dev",
    "127.0.0.1:5000/a/b/c:1",
    "ghcr.io/org/app_x__y-z:v1.2.3",
    `app@sha256:${"a".repeat(64)}`,
    `app:1@sha256:${"b".repeat(64)}`,
    "sha256:0123456789ab0123456789ab0123456789ab0123456789ab0123456789abcdef",
    "0123456789ab",
  ])("accepts %s", (ref) => {
    expect(imageReferenceProblem(ref)).toBeUndefined();
  });

  it.each([
    ["UPPER CASE::@@", /lowercase|white space|expected/],
    ["BAD TAG!!", /lowercase|white space/],
    ["redis:7; touch x", /expected|white space/],
    ["", /empty/],
    ["app:", /expected/],
    ["-app", /expected/],
    [`a:${"t".repeat(200)}`, /expected/],
  ])("refuses %j", (ref, why) => {
    expect(imageReferenceProblem(ref)).toMatch(why);
  });

  it("throws InputError naming the flag", () => {
    expect(() => checkImageReference("BAD TAG!!", "-t")).toThrow(InputError);
    expect(() => checkImageReference("BAD TAG!!", "-t")).toThrow(
      /^-t "BAD TAG!!" is not a valid image reference/,
    );
  });
});
