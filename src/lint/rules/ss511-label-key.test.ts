import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss511-label-key.js";

describe("SS511 label-key", () => {
  it("catches LABEL com.docker.x=1", () => {
    catches(rule, "FROM debian:12\nLABEL com.docker.x=1", 1);
  });
  it("catches LABEL 1bad=x", () => {
    catches(rule, "FROM debian:12\nLABEL 1bad=x", 1);
  });
  it("passes LABEL org.opencontainers.image.title=x", () => {
    catchesNot(rule, "FROM debian:12\nLABEL org.opencontainers.image.title=x");
  });
});
