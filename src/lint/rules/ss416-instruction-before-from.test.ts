import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss416-instruction-before-from.js";

describe("SS416 instruction-before-from", () => {
  it("catches FROM debian:12", () => {
    catches(rule, "LABEL a=b\nFROM debian:12", 1);
  });
  it("passes FROM debian:$V", () => {
    catchesNot(rule, "ARG V=12\nFROM debian:$V");
  });
});
