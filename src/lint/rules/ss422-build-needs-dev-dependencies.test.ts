import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss422-build-needs-dev-dependencies.js";

const packageJson = {
  scripts: { build: "nest build", lint: "echo ok" },
  dependencies: { "@nestjs/core": "^11" },
  devDependencies: { "@nestjs/cli": "^11" },
};
const env = { packageJson };
describe("SS422 build-needs-dev-dependencies", () => {
  it("catches npm run build after npm ci --omit=dev", () =>
    catches(rule, "FROM node:22-slim\nRUN npm ci --omit=dev\nCOPY . .\nRUN npm run build", 1, { env }));
  it("catches it under NODE_ENV=production", () =>
    catches(rule, "FROM node:22-slim\nENV NODE_ENV=production\nRUN npm ci\nRUN npm run build", 1, { env }));
  it("passes a full install", () =>
    catchesNot(rule, "FROM node:22-slim\nRUN npm ci\nRUN npm run build", { env }));
  it("passes a script that needs no devDependency", () =>
    catchesNot(rule, "FROM node:22-slim\nRUN npm ci --omit=dev\nRUN npm run lint", { env }));
  it("is silent without package.json", () =>
    catchesNot(rule, "FROM node:22-slim\nRUN npm ci --omit=dev\nRUN npm run build"));
});
