import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss110-deleted-in-later-layer.js";

describe("SS110 deleted-in-later-layer", () => {
  it("catches RUN rm /opt/x.tgz", () => {
    catches(rule, "FROM debian:12\nRUN curl -o /opt/x.tgz https://e.x/x.tgz\nRUN rm /opt/x.tgz", 1);
  });
  it("catches RUN rm -rf /app/.git", () => {
    catches(rule, "FROM debian:12\nCOPY . /app\nRUN rm -rf /app/.git", 1);
  });
  it("passes RUN curl -o /opt/x.tgz https://e.x/x.tgz && rm /opt/x.tgz", () => {
    catchesNot(rule, "FROM debian:12\nRUN curl -o /opt/x.tgz https://e.x/x.tgz && rm /opt/x.tgz");
  });
  it("passes RUN rm -rf /var/lib/apt/lists/*", () => {
    catchesNot(rule, "FROM debian:12\nRUN rm -rf /var/lib/apt/lists/*");
  });
  it("silent in a builder stage", () => {
    catchesNot(
      rule,
      "FROM debian:12 AS b\nCOPY . /app\nRUN rm -rf /app/.git\nFROM debian:12\nCOPY --from=b /app/dist /dist",
    );
  });
});
