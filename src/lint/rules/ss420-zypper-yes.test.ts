import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss420-zypper-yes.js";

describe("SS420 zypper-yes", () => {
  it("catches RUN zypper install curl && zypper clean", () => {
    catches(rule, "FROM opensuse/leap:15.6\nRUN zypper install curl && zypper clean", 1);
  });
  it("passes RUN zypper --non-interactive install curl && zypper clean", () => {
    catchesNot(rule, "FROM opensuse/leap:15.6\nRUN zypper --non-interactive install curl && zypper clean");
  });
});
