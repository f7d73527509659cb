import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss502-cd-in-run.js";

describe("SS502 cd-in-run", () => {
  it("catches RUN cd /app && make", () => {
    catches(rule, "FROM debian:12\nRUN cd /app && make", 1);
  });
  it("passes RUN make", () => {
    catchesNot(rule, "FROM debian:12\nWORKDIR /app\nRUN make");
  });
});
