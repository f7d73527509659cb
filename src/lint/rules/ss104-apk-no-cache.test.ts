import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss104-apk-no-cache.js";

describe("SS104 apk-no-cache", () => {
  it("catches RUN apk add curl", () => {
    catches(rule, "FROM alpine:3.22\nRUN apk add curl", 1);
  });
  it("passes RUN apk add --no-cache curl", () => {
    catchesNot(rule, "FROM alpine:3.22\nRUN apk add --no-cache curl");
  });
  it("passes RUN --mount=type=cache,target=/var/cache/apk apk add curl", () => {
    catchesNot(rule, "FROM alpine:3.22\nRUN --mount=type=cache,target=/var/cache/apk apk add curl");
  });
  it("silent in a builder stage", () => {
    catchesNot(rule, "FROM alpine:3.22 AS b\nRUN apk add gcc\nFROM alpine:3.22\nCOPY --from=b /out /out");
  });
});
