import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss102-apt-lists-not-removed.js";

describe("SS102 apt-lists-not-removed", () => {
  it("catches RUN apt-get update && apt-get install -y curl", () => {
    catches(rule, "FROM debian:12\nRUN apt-get update && apt-get install -y curl", 1);
  });
  it("passes RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*", () => {
    catchesNot(
      rule,
      "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
    );
  });
  it("passes RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl", () => {
    catchesNot(
      rule,
      "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl",
    );
  });
  it("silent in a builder that hands on other files", () => {
    catchesNot(
      rule,
      "FROM debian:12 AS b\nRUN apt-get update && apt-get install -y gcc\nFROM debian:12\nCOPY --from=b /out /out",
    );
  });
  it("fires when the builder's root is copied onward", () => {
    catches(
      rule,
      "FROM debian:12 AS b\nRUN apt-get update && apt-get install -y gcc\nFROM debian:12\nCOPY --from=b / /",
      1,
    );
  });
});
