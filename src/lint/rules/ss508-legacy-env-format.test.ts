import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss508-legacy-env-format.js";

describe("SS508 legacy-env-format", () => {
  it("catches ENV A 1", () => {
    catches(rule, "FROM debian:12\nENV A 1", 1);
  });
  it("catches LABEL maintainer me", () => {
    catches(rule, "FROM debian:12\nLABEL maintainer me", 1);
  });
  it('passes ENV A=1 B="two words"', () => {
    catchesNot(rule, 'FROM debian:12\nENV A=1 B="two words"');
  });
});
