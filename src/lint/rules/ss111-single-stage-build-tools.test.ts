import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss111-single-stage-build-tools.js";

describe("SS111 single-stage-build-tools", () => {
  it("catches RUN apt-get update && apt-get install -y build-essential", () => {
    catches(rule, "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y build-essential", 1);
  });
  it("catches RUN apk add --no-cache build-base python3-dev", () => {
    catches(
      rule,
      'FROM alpine:3.22\nRUN apk add --no-cache build-base python3-dev\nCMD ["python3", "app.py"]',
      1,
    );
  });
  it("passes RUN apt-get install -y curl", () => {
    catchesNot(rule, "FROM python:3.12-slim\nRUN apt-get install -y curl");
  });
  it("multi-stage files are SS107's", () => {
    catchesNot(
      rule,
      "FROM python:3.12 AS b\nRUN apt-get install -y gcc\nFROM python:3.12-slim\nCOPY --from=b /w /w",
    );
  });
});
