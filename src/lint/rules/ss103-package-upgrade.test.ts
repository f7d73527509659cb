import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss103-package-upgrade.js";

describe("SS103 package-upgrade", () => {
  it("catches RUN apt-get update && apt-get dist-upgrade -y", () => {
    catches(rule, "FROM debian:12\nRUN apt-get update && apt-get dist-upgrade -y", 1);
  });
  it("catches RUN apk upgrade", () => {
    catches(rule, "FROM alpine:3.22\nRUN apk upgrade", 1);
  });
  it("passes RUN apt-get update", () => {
    catchesNot(rule, "FROM debian:12\nRUN apt-get update");
  });
  it("silent in a builder stage", () => {
    catchesNot(rule, "FROM debian:12 AS b\nRUN apt-get upgrade -y\nFROM debian:12\nCOPY --from=b /x /x");
  });
});
