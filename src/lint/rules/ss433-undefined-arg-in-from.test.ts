import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss433-undefined-arg-in-from.js";

describe("SS433", () => {
  it("catches", () => catches(rule, "FROM python:$PYTHON_VERSION-slim", 1));
  it("passes", () =>
    catchesNot(
      rule,
      "ARG PYTHON_VERSION=3.12\nFROM python:$PYTHON_VERSION-slim\nFROM --platform=$BUILDPLATFORM alpine:3.22",
    ));
});
