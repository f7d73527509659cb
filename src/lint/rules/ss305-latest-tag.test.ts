import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss305-latest-tag.js";

describe("SS305 latest-tag", () => {
  it("catches FROM debian:latest", () => {
    catches(rule, "FROM debian:latest", 1);
  });
  it("passes FROM debian:12", () => {
    catchesNot(rule, "FROM debian:12");
  });
  it("passes FROM debian:latest@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", () => {
    catchesNot(
      rule,
      "FROM debian:latest@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
  });
});
