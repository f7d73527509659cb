import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss407-relative-workdir.js";

describe("SS407 relative-workdir", () => {
  it("catches WORKDIR app", () => {
    catches(rule, "FROM debian:12\nWORKDIR app", 1);
  });
  it("passes WORKDIR /app", () => {
    catchesNot(rule, "FROM debian:12\nWORKDIR /app");
  });
  it("passes WORKDIR $HOME/app", () => {
    catchesNot(rule, "FROM debian:12\nWORKDIR $HOME/app");
  });
});
