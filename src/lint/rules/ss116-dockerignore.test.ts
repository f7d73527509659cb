import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss116-dockerignore.js";

const df = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .";

describe("SS116 dockerignore", () => {
  it("catches a whole-context copy with no .dockerignore", () =>
    catches(rule, df, 1, { env: { dockerignore: null } }));
  it("catches a .dockerignore that misses entries", () => {
    const [f] = catches(rule, df, 1, { env: { dockerignore: ".git\n" } });
    if (!f?.message.includes("__pycache__") || f.message.includes("node_modules"))
      throw new Error(f?.message);
  });
  it("asks for node_modules only in Node builds, venvs only in Python builds", () => {
    const [f] = catches(rule, "FROM node:22-slim\nWORKDIR /app\nCOPY . .", 1, {
      env: { dockerignore: ".git\n" },
    });
    if (!f?.message.endsWith("node_modules")) throw new Error(f?.message);
    catchesNot(rule, "FROM node:22-slim\nWORKDIR /app\nCOPY . .", {
      env: { dockerignore: ".git\nnode_modules\n" },
    });
  });
  it("passes a complete .dockerignore", () =>
    catchesNot(rule, df, { env: { dockerignore: ".git\nnode_modules\n.venv\nvenv\n**/__pycache__\n" } }));
  it("is silent when the build context is unknown", () => catchesNot(rule, df));
});
