import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss504-maintainer.js";

describe("SS504 maintainer", () => {
  it("catches MAINTAINER me@example.com", () => {
    catches(rule, "FROM debian:12\nMAINTAINER me@example.com", 1);
  });
  it("passes LABEL org.opencontainers.image.authors=me@example.com", () => {
    catchesNot(rule, "FROM debian:12\nLABEL org.opencontainers.image.authors=me@example.com");
  });
});
