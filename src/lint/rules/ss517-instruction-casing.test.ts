import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss517-instruction-casing.js";

describe("SS517", () => {
  it("catches", () => catches(rule, "FROM alpine:3.22\nRUN true\nrun echo hi", 1));
  it("passes", () => catchesNot(rule, "from alpine:3.22\nrun echo hi"));
});
