import { describe, expect, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss106-js-package-cache.js";

describe("SS106 js-package-cache", () => {
  it("catches RUN yarn install", () => {
    catches(rule, "FROM node:22\nRUN yarn install", 1);
  });
  it("catches RUN npm install", () => {
    catches(rule, "FROM node:22\nRUN npm install", 1);
  });
  it("names the command the line runs (npm ci, bare yarn, pnpm add)", () => {
    const messages = catches(rule, "FROM node:22\nRUN npm ci && yarn && pnpm add left-pad", 3).map(
      (f) => f.message,
    );
    expect(messages).toEqual([
      "npm ci leaves the npm cache in the layer",
      "yarn leaves the yarn cache in the layer",
      "pnpm add leaves the pnpm cache in the layer",
    ]);
  });
  it("passes RUN yarn install && yarn cache clean", () => {
    catchesNot(rule, "FROM node:22\nRUN yarn install && yarn cache clean");
  });
  it("passes RUN --mount=type=cache,target=/root/.npm npm ci", () => {
    catchesNot(rule, "FROM node:22\nRUN --mount=type=cache,target=/root/.npm npm ci");
  });
  it("the builder's cache is not copied onward", () => {
    catchesNot(
      rule,
      "FROM node:22 AS b\nRUN npm ci\nFROM node:22-slim\nCOPY --from=b /app/node_modules /app/node_modules",
    );
  });
});
