import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss303-secret-in-env-arg.js";

describe("SS303 secret-in-env-arg", () => {
  it("catches ENV API_KEY=abc123", () => {
    catches(rule, "FROM debian:12\nENV API_KEY=abc123", 1);
  });
  it("catches ARG GITHUB_TOKEN", () => {
    catches(rule, "FROM debian:12\nARG GITHUB_TOKEN", 1);
  });
  it("catches ENV X=AKIAABCDEFGHIJKLMNOP", () => {
    catches(rule, "FROM debian:12\nENV X=AKIAABCDEFGHIJKLMNOP", 1);
  });
  it("passes ENV TOKEN_URL=https://auth.example.com", () => {
    catchesNot(rule, "FROM debian:12\nENV TOKEN_URL=https://auth.example.com");
  });
  it("passes ENV PASSWORD_FILE=/run/secrets/pw", () => {
    catchesNot(rule, "FROM debian:12\nENV PASSWORD_FILE=/run/secrets/pw");
  });
  it("passes ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D", () => {
    catchesNot(rule, "FROM debian:12\nENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D");
  });
});
