import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss421-env-self-reference.js";

describe("SS421 env-self-reference", () => {
  it("catches ENV APP=/srv CONF=$APP/conf", () => {
    catches(rule, "FROM debian:12\nENV APP=/srv CONF=$APP/conf", 1);
  });
  it("passes ENV CONF=$APP/conf", () => {
    catchesNot(rule, "FROM debian:12\nENV APP=/srv\nENV CONF=$APP/conf");
  });
  it("passes ENV PATH=/x:$PATH", () => {
    catchesNot(rule, "FROM debian:12\nENV PATH=/x:$PATH");
  });
  it("passes ENV A=1 B=$AB", () => {
    catchesNot(rule, "FROM debian:12\nENV A=1 B=$AB");
  });
});
