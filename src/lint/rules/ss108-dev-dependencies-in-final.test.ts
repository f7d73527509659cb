import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss108-dev-dependencies-in-final.js";

describe("SS108 dev-dependencies-in-final", () => {
  it("catches RUN pip install --no-cache-dir -r requirements-dev.txt", () => {
    catches(rule, "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements-dev.txt", 1);
  });
  it("catches RUN npm ci", () => {
    catches(rule, "FROM node:22-slim\nRUN npm ci", 1);
  });
  it("passes RUN npm ci", () => {
    catchesNot(rule, "FROM node:22-slim\nENV NODE_ENV=production\nRUN npm ci");
  });
  it("passes RUN npm install express", () => {
    catchesNot(rule, "FROM node:22-slim\nRUN npm install express");
  });
  it("a test stage that is not the final image's ancestor", () => {
    catchesNot(
      rule,
      'FROM python:3.12 AS test\nRUN pip install --no-cache-dir pytest\nFROM python:3.12-slim\nCMD ["python"]',
    );
  });
});
