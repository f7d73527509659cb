import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss503-unreachable-stage.js";

describe("SS503 unreachable-stage", () => {
  it('catches CMD ["a"]', () => {
    catches(rule, 'FROM debian:12 AS unused\nFROM debian:12\nCMD ["a"]', 1);
  });
  it("passes FROM b", () => {
    catchesNot(rule, "FROM debian:12 AS b\nFROM b");
  });
});
