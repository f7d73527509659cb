import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss402-eol-soon.js";

describe("SS402 eol-soon", () => {
  it("passes FROM python:3.12-slim", () => {
    catchesNot(rule, "FROM python:3.12-slim");
  });
  it("warns within eol.warnDays of the end of life", () => {
    const now = new Date("2027-03-01T00:00:00Z");
    catches(rule, "FROM node:22-slim", 1, { now });
    catchesNot(rule, "FROM node:22-slim", { now, config: { eol: { warnDays: 30 } } });
    catchesNot(rule, "FROM node:20-slim", { now }); // past: SS401's
  });
});
