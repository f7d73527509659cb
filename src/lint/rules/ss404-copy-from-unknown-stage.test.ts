import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss404-copy-from-unknown-stage.js";

describe("SS404 copy-from-unknown-stage", () => {
  it("catches COPY --from=buidler /a /a", () => {
    catches(rule, "FROM debian:12\nCOPY --from=buidler /a /a", 1);
  });
  it("passes COPY --from=builder /a /a", () => {
    catchesNot(rule, "FROM debian:12 AS builder\nFROM debian:12\nCOPY --from=builder /a /a");
  });
  it("passes COPY --from=nginx:1.27 /etc/nginx /etc/nginx", () => {
    catchesNot(rule, "FROM debian:12\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx");
  });
});
