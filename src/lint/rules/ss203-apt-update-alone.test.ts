import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss203-apt-update-alone.js";

describe("SS203 apt-update-alone", () => {
  it("catches RUN apt-get install -y curl", () => {
    catches(rule, "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl", 1);
  });
  it("passes RUN apt-get update && apt-get install -y curl", () => {
    catchesNot(rule, "FROM debian:12\nRUN apt-get update && apt-get install -y curl");
  });
});
