import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss105-pip-no-cache-dir.js";

describe("SS105 pip-no-cache-dir", () => {
  it("catches pip install in the final stage", () =>
    catches(rule, "FROM python:3.12\nRUN pip install flask", 1));
  it("passes --no-cache-dir, PIP_NO_CACHE_DIR and cache mounts", () => {
    catchesNot(rule, "FROM python:3.12\nRUN pip install --no-cache-dir flask");
    catchesNot(rule, "FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask");
    catchesNot(rule, "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask");
    catchesNot(rule, "FROM python:3.12\nRUN python -m pip install --no-cache-dir flask");
  });
  it("is silent in a builder stage whose cache is not copied onward", () =>
    catchesNot(
      rule,
      "FROM python:3.12 AS build\nRUN pip install --user flask\nFROM python:3.12-slim\nCOPY --from=build /root/.local /root/.local",
    ));
  it("fires in a builder stage when a parent of the cache is copied onward", () =>
    catches(
      rule,
      "FROM python:3.12 AS build\nRUN pip install --user flask\nFROM python:3.12-slim\nCOPY --from=build /root /root",
      1,
    ));
  it("fires in a stage the final stage is built FROM", () =>
    catches(rule, 'FROM python:3.12 AS base\nRUN pip install flask\nFROM base\nCMD ["python"]', 1));
});
