import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss425-dev-server-final.js";

describe("SS425 dev-server-final", () => {
  it("catches flask run", () =>
    catches(rule, 'FROM python:3.12-slim\nCMD ["flask", "run", "--host=0.0.0.0"]', 1));
  it("catches manage.py runserver", () =>
    catches(rule, 'FROM python:3.12-slim\nCMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]', 1));
  it("catches npm run dev through package.json", () =>
    catches(rule, 'FROM node:22-slim\nCMD ["npm", "run", "dev"]', 1, {
      env: { packageJson: { scripts: { dev: "nodemon server.js" }, dependencies: {}, devDependencies: {} } },
    }));
  it("catches next dev", () => catches(rule, 'FROM node:22-slim\nCMD ["npx", "next", "dev"]', 1));
  it("passes gunicorn", () => catchesNot(rule, 'FROM python:3.12-slim\nCMD ["gunicorn", "app:app"]'));
  it("passes a dev stage that compose does not build", () =>
    catchesNot(
      rule,
      'FROM python:3.12-slim AS prod\nCMD ["gunicorn", "app:app"]\nFROM prod AS dev\nCMD ["flask", "run"]',
      {
        target: "prod",
      },
    ));
});
