import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss202-manifest-not-copied-first.js";

describe("SS202 manifest-not-copied-first", () => {
  it("catches RUN pip install --no-cache-dir -r /app/requirements.txt", () => {
    catches(
      rule,
      "FROM python:3.12-slim\nCOPY app/ /app/\nRUN pip install --no-cache-dir -r /app/requirements.txt",
      1,
    );
  });
  it("passes COPY app/ /app/", () => {
    catchesNot(
      rule,
      "FROM python:3.12-slim\nCOPY app/requirements.txt /app/\nRUN pip install --no-cache-dir -r /app/requirements.txt\nCOPY app/ /app/",
    );
  });
  it("passes COPY src/ src/", () => {
    catchesNot(rule, "FROM node:22-slim\nCOPY package*.json ./\nRUN npm ci\nCOPY src/ src/");
  });
  it("whole-context copies are SS201's", () => {
    catchesNot(rule, "FROM python:3.12-slim\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt");
  });
});
