import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss122-wheels-left-in-final.js";

const builder = "FROM python:3.12-slim AS builder\nRUN pip wheel --wheel-dir /wheels flask\n";
describe("SS122 wheels-left-in-final", () => {
  it("catches wheels copied, installed and kept", () =>
    catches(
      rule,
      `${builder}FROM python:3.12-slim\nCOPY --from=builder /wheels /wheels\nRUN pip install --no-cache-dir /wheels/*`,
      1,
    ));
  it("passes when a later RUN removes them", () =>
    catchesNot(
      rule,
      `${builder}FROM python:3.12-slim\nCOPY --from=builder /wheels /wheels\nRUN pip install --no-cache-dir /wheels/* && rm -rf /wheels`,
    ));
  it("passes a bind mount", () =>
    catchesNot(
      rule,
      `${builder}FROM python:3.12-slim\nRUN --mount=type=bind,from=builder,source=/wheels,target=/wheels pip install /wheels/*`,
    ));
});
