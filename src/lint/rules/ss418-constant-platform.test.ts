import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss418-constant-platform.js";

describe("SS418 constant-platform", () => {
  it("catches FROM --platform=linux/amd64 debian:12", () => {
    catches(rule, "FROM --platform=linux/amd64 debian:12", 1);
  });
  it("passes FROM --platform=$BUILDPLATFORM debian:12", () => {
    catchesNot(rule, "FROM --platform=$BUILDPLATFORM debian:12");
  });
});
