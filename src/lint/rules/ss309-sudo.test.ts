import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss309-sudo.js";

describe("SS309 sudo", () => {
  it("catches RUN sudo apt-get update", () => {
    catches(rule, "FROM debian:12\nRUN sudo apt-get update", 1);
  });
  it("passes RUN apt-get install -y sudo", () => {
    catchesNot(rule, "FROM debian:12\nRUN apt-get install -y sudo");
  });
});
