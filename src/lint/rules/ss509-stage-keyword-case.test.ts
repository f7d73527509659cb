import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss509-stage-keyword-case.js";

describe("SS509 stage-keyword-case", () => {
  it("catches FROM debian:12 as b", () => {
    catches(rule, "FROM debian:12 as b", 1);
  });
  it("catches from debian:12 AS b", () => {
    catches(rule, "from debian:12 AS b", 1);
  });
  it("passes FROM debian:12 AS b", () => {
    catchesNot(rule, "FROM debian:12 AS b");
  });
  it("passes from debian:12 as b", () => {
    catchesNot(rule, "from debian:12 as b");
  });
});
