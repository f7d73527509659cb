import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss410-copy-dest-slash.js";

describe("SS410 copy-dest-slash", () => {
  it("catches COPY a b /dst", () => {
    catches(rule, "FROM debian:12\nCOPY a b /dst", 1);
  });
  it("passes COPY a b /dst/", () => {
    catchesNot(rule, "FROM debian:12\nCOPY a b /dst/");
  });
  it("passes COPY a /dst", () => {
    catchesNot(rule, "FROM debian:12\nCOPY a /dst");
  });
});
