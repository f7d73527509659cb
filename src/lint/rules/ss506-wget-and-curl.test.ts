import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss506-wget-and-curl.js";

describe("SS506 wget-and-curl", () => {
  it("catches RUN curl -fsS b", () => {
    catches(rule, "FROM debian:12\nRUN wget -q a\nRUN curl -fsS b", 1);
  });
  it("passes RUN curl -fsS b", () => {
    catchesNot(rule, "FROM debian:12\nRUN wget -q a\nFROM debian:12\nRUN curl -fsS b");
  });
});
