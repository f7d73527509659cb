import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss310-world-writable.js";

describe("SS310 world-writable", () => {
  it("catches RUN chmod 777 /app", () => {
    catches(rule, "FROM debian:12\nRUN chmod 777 /app", 1);
  });
  it("catches RUN chmod -R o+w /data", () => {
    catches(rule, "FROM debian:12\nRUN chmod -R o+w /data", 1);
  });
  it("catches COPY --chmod=0777 a /a", () => {
    catches(rule, "FROM debian:12\nCOPY --chmod=0777 a /a", 1);
  });
  it("passes RUN chmod 755 /app && chmod 1777 /tmp/x", () => {
    catchesNot(rule, "FROM debian:12\nRUN chmod 755 /app && chmod 1777 /tmp/x");
  });
  it("passes RUN chmod u+w /app", () => {
    catchesNot(rule, "FROM debian:12\nRUN chmod u+w /app");
  });
});
