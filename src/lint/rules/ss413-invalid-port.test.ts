import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss413-invalid-port.js";

describe("SS413 invalid-port", () => {
  it("catches EXPOSE 70000", () => {
    catches(rule, "FROM debian:12\nEXPOSE 70000", 1);
  });
  it("passes EXPOSE 65535", () => {
    catchesNot(rule, "FROM debian:12\nEXPOSE 65535");
  });
  it("passes EXPOSE $PORT", () => {
    catchesNot(rule, "FROM debian:12\nEXPOSE $PORT");
  });
});
