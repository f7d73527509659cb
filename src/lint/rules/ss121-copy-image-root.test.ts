import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss121-copy-image-root.js";

describe("SS121 copy-image-root", () => {
  it("catches COPY --from=image / / in the final stage", () =>
    catches(rule, "FROM python:3.12-slim\nCOPY --from=gloursdocker/docker / /", 1));
  it("passes a single file from an image", () =>
    catchesNot(
      rule,
      "FROM python:3.12-slim\nCOPY --from=docker:28-cli /usr/local/bin/docker /usr/local/bin/docker",
    ));
  it("passes a dev stage that is not the target", () =>
    catchesNot(rule, "FROM python:3.12-slim AS app\nFROM app AS dev\nCOPY --from=gloursdocker/docker / /", {
      target: "app",
    }));
  it("passes / / from a stage (the distroless pattern)", () =>
    catchesNot(rule, "FROM alpine:3.22 AS root\nRUN true\nFROM scratch\nCOPY --from=root / /"));
});
