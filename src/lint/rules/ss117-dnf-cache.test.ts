import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss117-dnf-cache.js";

describe("SS117 dnf-cache", () => {
  it("catches RUN dnf install -y httpd", () => {
    catches(rule, "FROM fedora:41\nRUN dnf install -y httpd", 1);
  });
  it("passes RUN dnf install -y httpd && dnf clean all", () => {
    catchesNot(rule, "FROM fedora:41\nRUN dnf install -y httpd && dnf clean all");
  });
  it("catches RUN dnf install -y httpd && microdnf clean all", () => {
    catches(rule, "FROM fedora:41\nRUN dnf install -y httpd && microdnf clean all", 1);
  });
});
