import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss301-final-user-root.js";

describe("SS301 final-user-root", () => {
  it("catches USER root", () => {
    catches(rule, "FROM debian:12\nUSER root", 1);
  });
  it("catches USER 0:0", () => {
    catches(rule, "FROM debian:12\nUSER 0:0", 1);
  });
  it("passes USER app", () => {
    catchesNot(rule, "FROM debian:12\nUSER root\nRUN x\nUSER app");
  });
  it("a builder stage may run as root", () => {
    catchesNot(rule, "FROM debian:12 AS b\nUSER root\nFROM debian:12\nUSER app");
  });
  it("the final stage inherits USER through FROM", () => {
    catches(rule, "FROM debian:12 AS base\nUSER root\nFROM base\nRUN x", 1);
  });
});
