import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss306-missing-tag.js";

describe("SS306 missing-tag", () => {
  it("catches FROM debian", () => {
    catches(rule, "FROM debian", 1);
  });
  it("passes FROM debian:12", () => {
    catchesNot(rule, "FROM debian:12");
  });
  it("passes FROM b", () => {
    catchesNot(rule, "FROM debian:12 AS b\nFROM b");
  });
  it("passes FROM scratch", () => {
    catchesNot(rule, "FROM scratch");
  });
});
