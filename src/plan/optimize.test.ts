import { readdir, realpath } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { imageName, optimizeProject } from "./optimize.js";
import { ambiguousPython, cExtensionProject, poetryProject, writeFixture } from "./testdata/fixtures.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function fixtureDir(fx: Record<string, string>): Promise<string> {
  const { dir, cleanup } = await writeFixture(fx);
  cleanups.push(cleanup);
  return dir;
}

async function inputError(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error("expected an InputError");
}

describe("optimizeProject without the engine", () => {
  it("plans every tier on request and writes nothing", async () => {
    const dir = await fixtureDir(poetryProject);
    const before = (await readdir(dir)).sort();
    const r = await optimizeProject(dir, { planOnly: true, allTiers: true });
    expect(r.ok).toBe(false);
    expect(r.tier).toBe("distroless");
    expect(r.attempts.map((a) => [a.tier, a.status])).toEqual([
      ["distroless", "planned"],
      ["slim", "planned"],
    ]);
    expect(r.extraFiles["requirements.slimstage.txt"]).toContain("flask==3.1.3");
    expect(r.written).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(before);
  });

  it("lists the interpreter change when the project's Dockerfile builds on another Python", async () => {
    const app =
      'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=5000)\n';
    const dir = await fixtureDir({
      "requirements.txt": "flask\n",
      "app.py": app,
      Dockerfile:
        'FROM python:3.9-slim AS build\nCOPY . /app\nFROM python:3.9-slim\nCOPY --from=build /app /app\nCMD ["python", "/app/app.py"]\n',
    });
    const r = await optimizeProject(dir, { planOnly: true, tier: "slim" });
    expect(r.decisions.find((d) => d.topic === "base")?.text).toMatch(
      /builds on python:3\.9-slim \(Python 3\.9\); the tiers build on Python 3\.11/,
    );
    const same = await fixtureDir({
      "requirements.txt": "flask\n",
      "app.py": app,
      Dockerfile: 'FROM python:3.11-slim\nCOPY . /app\nCMD ["python", "/app/app.py"]\n',
    });
    const plan = await optimizeProject(same, { planOnly: true, tier: "slim" });
    expect(plan.decisions.filter((d) => d.topic === "base")).toEqual([]);
  });

  it("says what detection noticed: Flask's debugger kept in the image's command", async () => {
    const dir = await fixtureDir({
      "requirements.txt": "flask\n",
      "app.py":
        'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=5000, debug=True)\n',
    });
    const r = await optimizeProject(dir, { planOnly: true, tier: "slim" });
    expect(r.decisions.find((d) => d.topic === "project")?.text).toMatch(
      /^app\.py runs Flask's development server with debug=True: the Werkzeug debugger/,
    );
    const quiet = await fixtureDir({
      "requirements.txt": "flask\n",
      "app.py":
        'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=5000)\n',
    });
    expect(
      (await optimizeProject(quiet, { planOnly: true, tier: "slim" })).decisions.some((d) =>
        /debug=True/.test(d.text),
      ),
    ).toBe(false);
  });

  it("starts from the requested tier", async () => {
    const dir = await fixtureDir(cExtensionProject);
    const r = await optimizeProject(dir, { planOnly: true, tier: "slim" });
    expect(r.attempts.map((a) => a.tier)).toEqual(["slim"]);
    expect(r.dockerfile).toContain("FROM debian:bookworm-slim AS runtime");
  });

  it("refuses --write with --plan-only: only verified files are written", async () => {
    const dir = await fixtureDir(poetryProject);
    const e = await inputError(optimizeProject(dir, { planOnly: true, write: true }));
    expect(e.message).toContain("--plan-only");
  });

  it("names a missing --from file", async () => {
    const dir = await fixtureDir(poetryProject);
    const e = await inputError(optimizeProject(dir, { from: "Dockerfile.prod" }));
    expect(e.message).toBe(
      `--from Dockerfile.prod: no such file (${path.join(await realpath(dir), "Dockerfile.prod")})`,
    );
    // A path given from the current directory is the usual mistake: the hint says which folder it is read from.
    expect(e.hint).toContain("relative to the project folder");
  });

  it("asks for a probe when the app has no known port and no lab.yaml", async () => {
    const dir = await fixtureDir({ ...ambiguousPython });
    const e = await inputError(optimizeProject(dir, { detect: { entry: ["python", "worker.py"] } }));
    expect(e.message).toContain("no probe to verify the image with");
    expect(e.hint).toContain("--probe");
  });

  it("reports a missing directory as input", async () => {
    const e = await inputError(optimizeProject("/nonexistent/slimstage-project"));
    expect(e.message).toBe("project directory /nonexistent/slimstage-project does not exist");
  });
});

describe("imageName", () => {
  it("tags by folder, with the parent's name in front of a generic folder name", () => {
    expect(imageName("/src/examples/lab-000", "slim")).toBe("slimstage-optimize/lab-000:slim");
    expect(imageName("/src/react-express-mysql/backend", "distroless")).toBe(
      "slimstage-optimize/react-express-mysql-backend:distroless",
    );
    expect(imageName("/src/react-express-mongodb/backend", "distroless")).toBe(
      "slimstage-optimize/react-express-mongodb-backend:distroless",
    );
    expect(imageName("/w/My App", "slim")).toBe("slimstage-optimize/my-app:slim");
    expect(imageName("/w/x", "slim", "team/app")).toBe("team/app:slim");
  });
});
