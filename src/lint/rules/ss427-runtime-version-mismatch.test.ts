import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss427-runtime-version-mismatch.js";

describe("SS427 runtime-version-mismatch", () => {
  it("catches a 3.11 venv in a 3.12 runtime", () =>
    catches(
      rule,
      "FROM python:3.11-slim AS b\nRUN python -m venv /opt/venv\nFROM python:3.12-slim\nCOPY --from=b /opt/venv /opt/venv",
      1,
    ));
  it("catches node_modules across Node lines", () =>
    catches(
      rule,
      "FROM node:20 AS b\nRUN npm ci\nFROM node:22-slim\nCOPY --from=b /app/node_modules /app/node_modules",
      1,
    ));
  it("passes the same version", () =>
    catchesNot(
      rule,
      "FROM python:3.12 AS b\nRUN python -m venv /opt/venv\nFROM python:3.12-slim\nCOPY --from=b /opt/venv /opt/venv",
    ));
  it("passes copies that are not packages", () =>
    catchesNot(rule, "FROM python:3.11 AS b\nRUN make\nFROM python:3.12-slim\nCOPY --from=b /out/app /app"));
});
