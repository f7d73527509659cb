import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss119-useradd-lastlog.js";

describe("SS119 useradd-lastlog", () => {
  it("catches RUN useradd -u 123456789 app", () => {
    catches(rule, "FROM debian:12\nRUN useradd -u 123456789 app", 1);
  });
  it("passes RUN useradd -l -u 123456789 app", () => {
    catchesNot(rule, "FROM debian:12\nRUN useradd -l -u 123456789 app");
  });
  it("passes RUN useradd --no-log-init --uid=123456789 app", () => {
    catchesNot(rule, "FROM debian:12\nRUN useradd --no-log-init --uid=123456789 app");
  });
  it("passes RUN useradd -u 1000 app", () => {
    catchesNot(rule, "FROM debian:12\nRUN useradd -u 1000 app");
  });
  it("silent in a builder stage", () => {
    catchesNot(
      rule,
      "FROM debian:12 AS b\nRUN useradd -u 123456789 app\nFROM debian:12\nCOPY --from=b /x /x",
    );
  });
});
