import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss414-use-apt-get.js";

describe("SS414 use-apt-get", () => {
  it("catches RUN apt install -y curl", () => {
    catches(rule, "FROM debian:12\nRUN apt install -y curl", 1);
  });
  it("passes RUN apt-get install -y curl", () => {
    catchesNot(rule, "FROM debian:12\nRUN apt-get install -y curl");
  });
});
