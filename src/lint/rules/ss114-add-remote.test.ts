import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss114-add-remote.js";

describe("SS114 add-remote", () => {
  it("catches ADD https://example.com/x.tgz /tmp/", () => {
    catches(rule, "FROM debian:12\nADD https://example.com/x.tgz /tmp/", 1);
  });
  it("passes ADD x.tgz /tmp/", () => {
    catchesNot(rule, "FROM debian:12\nADD x.tgz /tmp/");
  });
});
