import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss515-expose-proto-casing.js";

describe("SS515", () => {
  it("catches", () => catches(rule, "FROM alpine:3.22\nEXPOSE 80/TCP", 1));
  it("passes", () => catchesNot(rule, "FROM alpine:3.22\nEXPOSE 80/tcp 53/udp"));
});
