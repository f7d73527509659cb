import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss513-stage-name-casing.js";

describe("SS513", () => {
  it("catches", () => catches(rule, "FROM golang:1.25 AS Builder", 1));
  it("passes", () => catchesNot(rule, "FROM golang:1.25 AS builder"));
});
