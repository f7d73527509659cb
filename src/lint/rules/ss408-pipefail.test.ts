import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss408-pipefail.js";

describe("SS408 pipefail", () => {
  it("catches RUN curl -fsS https://x | tar -xz", () => {
    catches(rule, "FROM debian:12\nRUN curl -fsS https://x | tar -xz", 1);
  });
  it("passes RUN curl -fsS https://x | tar -xz", () => {
    catchesNot(
      rule,
      'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsS https://x | tar -xz',
    );
  });
  it("passes RUN set -o pipefail && curl -fsS https://x | tar -xz", () => {
    catchesNot(rule, "FROM debian:12\nRUN set -o pipefail && curl -fsS https://x | tar -xz");
  });
  it("passes RUN a || b", () => {
    catchesNot(rule, "FROM debian:12\nRUN a || b");
  });
});
