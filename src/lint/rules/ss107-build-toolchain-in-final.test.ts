import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss107-build-toolchain-in-final.js";

describe("SS107 build-toolchain-in-final", () => {
  it("catches a toolchain in the final stage of a multi-stage file", () =>
    catches(
      rule,
      "FROM python:3.12 AS b\nRUN true\nFROM python:3.12-slim\nRUN apt-get install -y gcc libpq-dev",
      1,
    ));
  it("is silent in a builder that hands on only a venv (lab 003)", () =>
    catchesNot(
      rule,
      "FROM python:3.12 AS b\nRUN apk add --no-cache build-base\nFROM python:3.12-slim\nCOPY --from=b /root/.local /root/.local",
    ));
  it("is silent when the same RUN removes the packages", () =>
    catchesNot(
      rule,
      "FROM python:3.12 AS b\nFROM python:3.12-slim\nRUN apk add --virtual .deps gcc && pip install x && apk del .deps",
    ));
});
