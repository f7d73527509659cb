import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss510-wget-progress.js";

describe("SS510 wget-progress", () => {
  it("catches RUN wget https://x/y", () => {
    catches(rule, "FROM debian:12\nRUN wget https://x/y", 1);
  });
  it("passes RUN wget -q https://x/y", () => {
    catchesNot(rule, "FROM debian:12\nRUN wget -q https://x/y");
  });
  it("passes a short-flag cluster that ends in an option's value (-qO-)", () => {
    catchesNot(rule, "FROM debian:12\nRUN wget -qO- https://x/y | sh");
    catchesNot(rule, "FROM debian:12\nRUN wget -nv -O/tmp/y https://x/y");
  });
  it("passes RUN wget --progress=dot:giga https://x/y", () => {
    catchesNot(rule, "FROM debian:12\nRUN wget --progress=dot:giga https://x/y");
  });
});
