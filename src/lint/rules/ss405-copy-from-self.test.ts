import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss405-copy-from-self.js";

describe("SS405 copy-from-self", () => {
  it("catches COPY --from=app /a /b", () => {
    catches(rule, "FROM debian:12 AS app\nCOPY --from=app /a /b", 1);
  });
  it("passes COPY --from=b /a /b", () => {
    catchesNot(rule, "FROM debian:12 AS b\nFROM debian:12 AS app\nCOPY --from=b /a /b");
  });
});
