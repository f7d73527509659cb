import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss426-buildplatform-runtime.js";

describe("SS426 buildplatform-runtime", () => {
  it("catches it on the final stage", () =>
    catches(
      rule,
      "FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nRUN go build\nFROM --platform=$BUILDPLATFORM alpine:3.22\nCOPY --from=b /x /x",
      1,
    ));
  it("passes it on a builder", () =>
    catchesNot(
      rule,
      "FROM --platform=$BUILDPLATFORM golang:1.25 AS b\nRUN go build\nFROM alpine:3.22\nCOPY --from=b /x /x",
    ));
  it("passes $TARGETPLATFORM", () => catchesNot(rule, "FROM --platform=$TARGETPLATFORM alpine:3.22"));
});
