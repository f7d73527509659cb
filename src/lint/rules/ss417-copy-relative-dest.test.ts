import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss417-copy-relative-dest.js";

describe("SS417 copy-relative-dest", () => {
  it("catches COPY app.py app.py", () => {
    catches(rule, "FROM debian:12\nCOPY app.py app.py", 1);
  });
  it("passes COPY app.py app.py", () => {
    catchesNot(rule, "FROM debian:12\nWORKDIR /app\nCOPY app.py app.py");
  });
  it("passes COPY app.py /app/app.py", () => {
    catchesNot(rule, "FROM debian:12\nCOPY app.py /app/app.py");
  });
  it("a WORKDIR in the FROM ancestry counts", () => {
    catchesNot(rule, "FROM debian:12 AS base\nWORKDIR /app\nFROM base\nCOPY app.py .");
  });
});
