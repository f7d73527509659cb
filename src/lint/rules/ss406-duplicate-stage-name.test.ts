import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss406-duplicate-stage-name.js";

describe("SS406 duplicate-stage-name", () => {
  it("catches FROM debian:12 AS X", () => {
    catches(rule, "FROM debian:12 AS x\nFROM debian:12 AS X", 1);
  });
  it("passes FROM debian:12 AS y", () => {
    catchesNot(rule, "FROM debian:12 AS x\nFROM debian:12 AS y");
  });
});
