import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss505-consecutive-run.js";

describe("SS505 consecutive-run", () => {
  it("catches RUN b", () => {
    catches(rule, "FROM debian:12\nRUN a\nRUN b", 1);
  });
  it("passes RUN b", () => {
    catchesNot(rule, "FROM debian:12\nRUN a\nWORKDIR /x\nRUN b");
  });
  it("passes RUN c", () => {
    catchesNot(rule, "FROM debian:12\nRUN a && b\nRUN c");
  });
});
