import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss311-ssh-port.js";

describe("SS311 ssh-port", () => {
  it("catches EXPOSE 22", () => {
    catches(rule, "FROM debian:12\nEXPOSE 22", 1);
  });
  it("catches EXPOSE 20-30/tcp", () => {
    catches(rule, "FROM debian:12\nEXPOSE 20-30/tcp", 1);
  });
  it("passes EXPOSE 2222 8000", () => {
    catchesNot(rule, "FROM debian:12\nEXPOSE 2222 8000");
  });
  it("only the final image's ports matter", () => {
    catchesNot(rule, "FROM debian:12 AS b\nEXPOSE 22\nFROM debian:12\nEXPOSE 80");
  });
});
