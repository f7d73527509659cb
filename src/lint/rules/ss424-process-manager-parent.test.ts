import { describe, expect, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss424-process-manager-parent.js";

const pkg = {
  scripts: { start: "node server.js", dev: "nodemon server.js" },
  dependencies: {},
  devDependencies: {},
};
describe("SS424 process-manager-parent", () => {
  it("catches npm start, and fixes it from package.json", () => {
    const [f] = catches(rule, 'FROM node:22-slim\nCMD ["npm", "start"]', 1, { env: { packageJson: pkg } });
    expect(f!.fix?.edits[0]?.text).toBe('["node", "server.js"]');
  });
  it("catches yarn run", () => catches(rule, 'FROM node:22-slim\nCMD ["yarn", "run", "serve"]', 1));
  it("catches sh -c without exec", () =>
    catches(rule, 'FROM python:3.12-slim\nCMD ["sh", "-c", "python -m app --port $PORT"]', 1));
  it("passes sh -c exec", () =>
    catchesNot(rule, 'FROM python:3.12-slim\nCMD ["sh", "-c", "exec python -m app --port $PORT"]'));
  it("passes node server.js", () => catchesNot(rule, 'FROM node:22-slim\nCMD ["node", "server.js"]'));
  it("judges only the final command", () =>
    catchesNot(
      rule,
      'FROM node:22-slim AS dev\nCMD ["npm", "start"]\nFROM node:22-slim\nCMD ["node", "server.js"]',
    ));
});
