import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss432-reserved-stage-name.js";

describe("SS432", () => {
  it("catches", () => catches(rule, "FROM alpine:3.22 AS scratch", 1));
  it("passes", () => catchesNot(rule, "FROM alpine:3.22 AS base"));
});
