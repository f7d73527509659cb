import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss514-redundant-target-platform.js";

describe("SS514", () => {
  it("catches", () => catches(rule, "FROM --platform=$TARGETPLATFORM alpine:3.22", 1));
  it("passes", () => catchesNot(rule, "FROM --platform=$BUILDPLATFORM alpine:3.22"));
});
