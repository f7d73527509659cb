import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss109-copy-duplicates-base.js";

describe("SS109 copy-duplicates-base", () => {
  it("catches a whole site-packages copied onto a python base (lab 000)", () =>
    catches(
      rule,
      "FROM python:3.12-slim AS b\nRUN pip install flask\nFROM python:3.12-slim\nCOPY --from=b /usr/local/lib/python3.12/site-packages /usr/local/lib/python3.12/site-packages",
      1,
    ));
  it("catches a whole root filesystem copied onto the same base", () =>
    catches(rule, "FROM debian:12 AS b\nRUN true\nFROM debian:12\nCOPY --from=b / /", 1));
  it("passes a venv copy and copies onto scratch", () => {
    catchesNot(
      rule,
      "FROM python:3.12-slim AS b\nRUN python -m venv /opt/venv\nFROM python:3.12-slim\nCOPY --from=b /opt/venv /opt/venv",
    );
    catchesNot(rule, "FROM debian:12 AS b\nFROM scratch\nCOPY --from=b / /");
  });
  it("is silent in stages that do not reach the final image", () =>
    catchesNot(
      rule,
      'FROM python:3.12-slim AS b\nFROM python:3.12-slim AS unused\nCOPY --from=b /usr/local/lib/python3.12/site-packages /x\nFROM python:3.12-slim\nCMD ["python"]',
    ));
});
