import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss201-copy-context-before-install.js";

describe("SS201 copy-context-before-install", () => {
  it("catches RUN pip install --no-cache-dir -r requirements.txt", () => {
    catches(
      rule,
      "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt",
      1,
    );
  });
  it("catches RUN npm ci", () => {
    catches(rule, "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci", 1);
  });
  it("passes COPY . .", () => {
    catchesNot(
      rule,
      "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .",
    );
  });
  it("silent in stages the target never builds", () => {
    catchesNot(rule, 'FROM node:22-slim AS old\nCOPY . .\nRUN npm ci\nFROM node:22-slim\nCMD ["node"]');
  });
});
