import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss512-interactive-command.js";

describe("SS512 interactive-command", () => {
  it("catches RUN service nginx start", () => {
    catches(rule, "FROM debian:12\nRUN service nginx start", 1);
  });
  it("passes RUN apt-get install -y openssh-client", () => {
    catchesNot(rule, "FROM debian:12\nRUN apt-get install -y openssh-client");
  });
});
