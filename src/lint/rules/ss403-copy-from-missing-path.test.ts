import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss403-copy-from-missing-path.js";

const builder = "FROM python:3.12-slim AS builder\nWORKDIR /app\nCOPY app.py .\n";

describe("SS403 copy-from-missing-path", () => {
  it("catches a venv no stage creates (lab 002)", () =>
    catches(rule, `${builder}FROM python:3.12-slim\nCOPY --from=builder /app/venv /app/venv`, 1));
  it("passes paths the stage creates", () => {
    catchesNot(rule, `${builder}FROM python:3.12-slim\nCOPY --from=builder /app/app.py .`);
    catchesNot(
      rule,
      `${builder}RUN python -m venv /app/venv\nFROM python:3.12-slim\nCOPY --from=builder /app/venv /app/venv`,
    );
    catchesNot(
      rule,
      `${builder}RUN python -m venv venv\nFROM python:3.12-slim\nCOPY --from=builder /app/venv /app/venv`,
    );
    catchesNot(rule, `${builder}FROM python:3.12-slim\nCOPY --from=builder /app /app`);
  });
  it("a command that writes into the working directory may create it (npm ci, builds)", () => {
    catchesNot(
      rule,
      "FROM node:22-slim AS b\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nRUN npm run build\nFROM node:22-slim\nCOPY --from=b /app/node_modules node_modules/\nCOPY --from=b /app/dist/src dist/src/",
    );
    catches(
      rule,
      "FROM python:3.12-slim AS b\nWORKDIR /app\nRUN pip install --no-cache-dir flask\nFROM python:3.12-slim\nCOPY --from=b /app/venv /venv",
      1,
    );
  });
  it("never judges paths a base image may ship", () =>
    catchesNot(
      rule,
      `${builder}FROM python:3.12-slim\nCOPY --from=builder /usr/local/lib/python3.12/site-packages /x`,
    ));
  it("a directory copy may bring anything under its destination", () =>
    catchesNot(
      rule,
      "FROM python:3.12-slim AS b\nWORKDIR /app\nCOPY . .\nFROM python:3.12-slim\nCOPY --from=b /app/venv /venv",
    ));
});
