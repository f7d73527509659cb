import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss409-apt-get-yes.js";

describe("SS409 apt-get-yes", () => {
  it("catches RUN apt-get install curl", () => {
    catches(rule, "FROM debian:12\nRUN apt-get install curl", 1);
  });
  it("passes RUN apt-get install -qq curl", () => {
    catchesNot(rule, "FROM debian:12\nRUN apt-get install -qq curl");
  });
  it("passes RUN apt-get -y install curl", () => {
    catchesNot(rule, "FROM debian:12\nRUN apt-get -y install curl");
  });
});
