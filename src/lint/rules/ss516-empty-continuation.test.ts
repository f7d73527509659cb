import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss516-empty-continuation.js";

describe("SS516", () => {
  it("catches", () => catches(rule, "FROM alpine:3.22\nRUN apk add \\\n\n    curl", 1));
  it("passes", () => catchesNot(rule, "FROM alpine:3.22\nRUN apk add \\\n    curl"));
});
