import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss120-zypper-cache.js";

describe("SS120 zypper-cache", () => {
  it("catches RUN zypper install -y curl", () => {
    catches(rule, "FROM opensuse/leap:15.6\nRUN zypper install -y curl", 1);
  });
  it("passes RUN zypper install -y curl && zypper clean -a", () => {
    catchesNot(rule, "FROM opensuse/leap:15.6\nRUN zypper install -y curl && zypper clean -a");
  });
});
