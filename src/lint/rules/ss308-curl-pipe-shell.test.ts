import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss308-curl-pipe-shell.js";

describe("SS308 curl-pipe-shell", () => {
  it("catches RUN curl -fsSL https://x.example/i.sh | bash", () => {
    catches(rule, "FROM debian:12\nRUN curl -fsSL https://x.example/i.sh | bash", 1);
  });
  it("catches RUN wget -qO- https://x.example/i.sh | sudo sh", () => {
    catches(rule, "FROM debian:12\nRUN wget -qO- https://x.example/i.sh | sudo sh", 1);
  });
  it("passes RUN curl -fsSL https://x.example/a.tgz | tar -xz", () => {
    catchesNot(rule, "FROM debian:12\nRUN curl -fsSL https://x.example/a.tgz | tar -xz");
  });
  it("passes RUN curl -fsSLo i.sh https://x.example/i.sh || sh -c true", () => {
    catchesNot(rule, "FROM debian:12\nRUN curl -fsSLo i.sh https://x.example/i.sh || sh -c true");
  });
});
