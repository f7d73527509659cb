import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss507-shell-symlink.js";

describe("SS507 shell-symlink", () => {
  it("catches RUN ln -sf /bin/bash /bin/sh", () => {
    catches(rule, "FROM debian:12\nRUN ln -sf /bin/bash /bin/sh", 1);
  });
  it("passes RUN ln -s /usr/bin/python3 /usr/bin/python", () => {
    catchesNot(rule, "FROM debian:12\nRUN ln -s /usr/bin/python3 /usr/bin/python");
  });
});
