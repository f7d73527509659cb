import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss302-no-user.js";

describe("SS302 no-user", () => {
  it('catches CMD ["python", "app.py"]', () => {
    catches(rule, 'FROM python:3.12-slim\nCMD ["python", "app.py"]', 1);
  });
  it("passes a base image whose command is the interpreter (official python, node)", () => {
    catchesNot(rule, 'FROM debian:trixie-slim\nRUN make install\nCMD ["python3"]');
  });
  it("passes images that start as root and drop privileges (postgres, nginx, gosu entrypoints)", () => {
    catchesNot(rule, "FROM postgres:17\nCOPY init.sql /docker-entrypoint-initdb.d/");
    catchesNot(rule, 'FROM debian:12\nCOPY app.conf /etc/nginx/conf.d/\nCMD ["nginx", "-g", "daemon off;"]');
    catchesNot(
      rule,
      'FROM debian:12\nRUN gosu --version\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["redis-server"]',
    );
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
  it("judges the stage compose builds (target), not the last one", () => {
    const df =
      'FROM python:3.12-slim AS prod\nUSER app\nCMD ["gunicorn", "app:app"]\nFROM prod AS dev\nUSER root\nCMD ["flask", "run"]';
    catchesNot(rule, df, { target: "prod" });
  });
  it("passes COPY app /app", () => {
    catchesNot(rule, "FROM scratch\nCOPY app /app");
  });
});
