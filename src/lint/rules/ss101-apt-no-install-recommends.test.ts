import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss101-apt-no-install-recommends.js";

describe("SS101 apt-no-install-recommends", () => {
  it("catches RUN apt-get install -y curl", () => {
    catches(rule, "FROM debian:12\nRUN apt-get install -y curl", 1);
  });
  it("passes RUN apt-get install -y --no-install-recommends curl", () => {
    catchesNot(rule, "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl");
  });
  it("silent in a builder whose /usr is not copied onward", () => {
    catchesNot(
      rule,
      "FROM debian:12 AS b\nRUN apt-get install -y gcc\nFROM debian:12\nCOPY --from=b /app /app",
    );
  });
  it("fires in the final stage's FROM ancestry", () => {
    catches(rule, "FROM debian:12 AS b\nRUN apt-get install -y gcc\nFROM b", 1);
  });
});
