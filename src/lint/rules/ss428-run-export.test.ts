import { describe, expect, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss428-run-export.js";

describe("SS428 run-export", () => {
  it("catches RUN export, with an ENV fix", () => {
    const [f] = catches(rule, "FROM debian:12\nRUN export DEBIAN_FRONTEND=noninteractive", 1);
    expect(f!.fix?.edits[0]?.text).toBe("ENV DEBIAN_FRONTEND=noninteractive");
  });
  it("passes export used by the same RUN", () =>
    catchesNot(rule, "FROM debian:12\nRUN export DEBIAN_FRONTEND=noninteractive && apt-get update"));
});
