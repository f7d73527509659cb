import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss419-dnf-yes.js";

describe("SS419 dnf-yes", () => {
  it("catches RUN dnf install httpd && dnf clean all", () => {
    catches(rule, "FROM fedora:41\nRUN dnf install httpd && dnf clean all", 1);
  });
  it("passes RUN dnf -y install httpd && dnf clean all", () => {
    catchesNot(rule, "FROM fedora:41\nRUN dnf -y install httpd && dnf clean all");
  });
});
