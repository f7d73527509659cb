import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss423-node-modules-libc-mismatch.js";

describe("SS423 node-modules-libc-mismatch", () => {
  it("catches glibc into musl", () =>
    catches(
      rule,
      "FROM node:22-bookworm-slim AS deps\nRUN npm ci\nFROM node:22-alpine\nCOPY --from=deps /app/node_modules ./node_modules",
      1,
    ));
  it("catches musl into glibc", () =>
    catches(
      rule,
      "FROM node:22-alpine AS deps\nRUN npm ci\nFROM node:22-slim\nCOPY --from=deps /app/node_modules /app/node_modules",
      1,
    ));
  it("passes the same family", () =>
    catchesNot(
      rule,
      "FROM node:22-alpine AS deps\nRUN npm ci\nFROM node:22-alpine\nCOPY --from=deps /app/node_modules ./node_modules",
    ));
});
