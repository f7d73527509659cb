import { describe, it } from "vitest";
import { catches, catchesNot } from "../testing.js";
import rule from "./ss302-no-user.js";

describe("SS302 no-user", () => {
  it('catches CMD ["python"]', () => {
    catches(rule, 'FROM python:3.12-slim\nCMD ["python"]', 1);
  });
  it("passes USER nobody", () => {
    catchesNot(rule, "FROM python:3.12-slim\nUSER nobody");
  });
  it("a USER in the FROM ancestry counts", () => {
    catchesNot(rule, 'FROM python:3.12-slim AS base\nUSER app\nFROM base\nCMD ["python"]');
  });
  it("a USER in a builder stage does not count", () => {
    catches(rule, "FROM python:3.12-slim AS b\nUSER app\nFROM python:3.12-slim\nCOPY --from=b /x /x", 1);
  });
  it("passes COPY app /app", () => {
    catchesNot(rule, "FROM scratch\nCOPY app /app");
  });
});
