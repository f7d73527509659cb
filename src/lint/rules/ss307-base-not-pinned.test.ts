import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss307-base-not-pinned.js";

describe("SS307 base-not-pinned", () => {
  it("catches FROM debian:12", () => {
    catches(rule, "FROM debian:12", 1);
  });
  it("passes FROM debian:12@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", () => {
    catchesNot(
      rule,
      "FROM debian:12@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    );
  });
  it("passes FROM scratch", () => {
    catchesNot(rule, "FROM scratch");
  });
  it("stage references are not images", () => {
    catchesNot(
      rule,
      "FROM debian:12@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb AS b\nFROM b",
    );
  });
});
