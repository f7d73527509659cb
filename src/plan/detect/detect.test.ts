import { afterEach, describe, expect, it } from "vitest";
import { InputError } from "../../errors.js";
import type { NodeProject, PythonProject } from "../project.js";
import {
  ambiguousPython,
  cExtensionProject,
  type Fixture,
  noProject,
  pdmProject,
  pipenvProject,
  pnpmProject,
  poetryProject,
  psycopg2Project,
  typescriptProject,
  uvOutOfSync,
  uvProject,
  writeFixture,
  yarnOutOfSync,
  yarnProject,
} from "../testdata/fixtures.js";
import { compiledPath, parseJsonc } from "./node.js";
import { detectProject } from "./project.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function detect(fx: Fixture, opts = {}) {
  const { dir, cleanup } = await writeFixture(fx);
  cleanups.push(cleanup);
  return detectProject(dir, opts);
}

async function python(fx: Fixture, opts = {}): Promise<PythonProject> {
  const p = await detect(fx, opts);
  if (p.kind !== "python") throw new Error(`expected python, got ${p.kind}`);
  return p;
}

async function node(fx: Fixture, opts = {}): Promise<NodeProject> {
  const p = await detect(fx, opts);
  if (p.kind !== "node") throw new Error(`expected node, got ${p.kind}`);
  return p;
}

async function inputError(fx: Fixture, opts = {}): Promise<InputError> {
  try {
    await detect(fx, opts);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error("expected an InputError");
}

describe("python detection", () => {
  it("exports the main group of a Poetry lock, without dev or Windows-only packages", async () => {
    const p = await python(poetryProject);
    expect(p.deps.source).toBe("poetry");
    expect(p.deps.lockfile).toBe("poetry.lock");
    expect(p.deps.exported).toEqual([
      "blinker==1.9.0",
      "click==8.5.0",
      "flask==3.1.3",
      "itsdangerous==2.2.0",
      "jinja2==3.1.6",
      "markupsafe==3.0.3",
      "werkzeug==3.1.9",
    ]);
    expect(p.entry).toEqual({ argv: ["python", "app.py"], source: "__main__ guard in app.py" });
    expect(p.port).toBe(5000);
    expect(p.tests?.argv).toEqual(["python", "-m", "pytest", "-q"]);
    expect(p.tests?.packages).toEqual(["pytest"]);
    expect(p.appPaths).toEqual(["app.py"]);
    expect(p.native.buildPackages).toEqual([]);
  });

  it("exports a uv lock from the project's own entry and reads the port from app.run", async () => {
    const p = await python(uvProject);
    expect(p.deps.source).toBe("uv");
    expect(p.deps.exported).toContain("flask==3.1.3");
    expect(p.deps.exported).not.toContain("colorama==0.4.6");
    expect(p.deps.exported).not.toContain("pytest==8.4.2");
    expect(p.entry.argv).toEqual(["python", "main.py"]);
    expect(p.port).toBe(8080);
    expect(p.tests?.packages).toEqual(["pytest"]);
  });

  it("rejects a uv lock that misses a declared dependency, naming it and the fix", async () => {
    const e = await inputError(uvOutOfSync);
    expect(e.message).toBe("uv.lock is out of sync with pyproject.toml: redis is not locked");
    expect(e.hint).toContain("uv lock");
    expect(e.location?.file).toBe("uv.lock");
  });

  it("installs unpinned from pyproject with --ignore-lock", async () => {
    const p = await python(uvOutOfSync, { ignoreLock: true });
    expect(p.deps.source).toBe("pyproject");
    expect(p.deps.exported).toEqual(["flask>=3.1", "redis>=5"]);
  });

  it("exports the default group of a PDM lock", async () => {
    const p = await python(pdmProject);
    expect(p.deps.source).toBe("pdm");
    expect(p.deps.exported).toContain("werkzeug==3.1.9");
    expect(p.deps.exported).not.toContain("pytest==8.4.2");
    expect(p.deps.exported).not.toContain("colorama==0.4.6");
  });

  it("exports Pipfile.lock's default section", async () => {
    const p = await python(pipenvProject);
    expect(p.deps.source).toBe("pipfile");
    expect(p.deps.exported).toHaveLength(7);
    expect(p.deps.exported).not.toContain("colorama==0.4.6");
  });

  it("finds a local C extension against libpq and gunicorn's app object", async () => {
    const p = await python(cExtensionProject);
    expect(p.deps.localPaths).toEqual(["pgext"]);
    expect(p.native.buildPackages).toEqual(["build-essential", "libpq-dev"]);
    expect(p.native.runtimePackages).toEqual(["libpq5"]);
    expect(p.entry.argv).toEqual(["gunicorn", "--bind", "0.0.0.0:8000", "wsgi:application"]);
    expect(p.port).toBe(8000);
    expect(p.tests?.requirementFiles).toEqual(["requirements-dev.txt"]);
    expect(p.appPaths).toEqual(["wsgi.py"]);
  });

  it("knows psycopg2 compiles against libpq and finds a FastAPI app in a package", async () => {
    const p = await python(psycopg2Project);
    expect(p.native.buildPackages).toEqual(["build-essential", "libpq-dev"]);
    expect(p.native.reasons[0]).toContain("psycopg2");
    expect(p.entry.argv).toEqual(["uvicorn", "api.main:app", "--host", "0.0.0.0", "--port", "8000"]);
    expect(p.appPaths).toEqual(["api"]);
  });

  it("reports an ambiguous entry point with the flag to pass", async () => {
    const e = await inputError(ambiguousPython);
    expect(e.message).toContain("ambiguous");
    expect(e.message).toContain("`python server2.py`");
    expect(e.hint).toContain("--entry");
    const p = await python(ambiguousPython, { entry: ["python", "worker.py"] });
    expect(p.entry).toEqual({ argv: ["python", "worker.py"], source: "--entry" });
  });

  it("reports a directory that is no project", async () => {
    const e = await inputError(noProject);
    expect(e.message).toMatch(/^no Python or Node project found in .*found: notes\.txt/);
    expect(e.hint).toContain("requirements.txt");
  });

  it("points at bad TOML with its line", async () => {
    const e = await inputError({ "pyproject.toml": '[project]\nname = "x"\ndependencies = [\n' });
    expect(e.message).toMatch(/^pyproject\.toml is not valid TOML/);
    expect(e.location?.file).toBe("pyproject.toml");
  });
});

describe("node detection", () => {
  it("reads a pnpm v9 lock, the packageManager pin, the start script and node --test", async () => {
    const p = await node(pnpmProject);
    expect(p.packageManager).toBe("pnpm");
    expect(p.packageManagerVersion).toBe("9.15.0");
    expect(p.entry.argv).toEqual(["node", "server.js"]);
    expect(p.port).toBe(3000);
    expect(p.tests?.argv).toEqual(["pnpm", "test"]);
    expect(p.appPaths).toEqual(["package.json", "server.js"]);
  });

  it("reads a yarn classic lock and main", async () => {
    const p = await node(yarnProject);
    expect(p.packageManager).toBe("yarn");
    expect(p.yarnBerry).toBe(false);
    expect(p.entry).toEqual({ argv: ["node", "index.js"], source: 'main "index.js" in package.json' });
    expect(p.port).toBe(8081);
    expect(p.tests).toBeUndefined();
  });

  it("rejects a yarn lock out of sync with package.json", async () => {
    const e = await inputError(yarnOutOfSync);
    expect(e.message).toBe("yarn.lock is out of sync with package.json: express@^5.0.0 is not locked");
    expect(e.hint).toContain("yarn install");
  });

  it("finds the TypeScript build and its outDir through a commented tsconfig", async () => {
    const p = await node(typescriptProject);
    expect(p.packageManager).toBe("npm");
    expect(p.build).toMatchObject({ script: "build", outDir: "build" });
    // start says dist/, but that is what the script says: detection keeps it.
    expect(p.entry.argv).toEqual(["node", "dist/server.js"]);
    expect(p.hasProductionDeps).toBe(false);
    expect(p.appPaths).toEqual(["build", "package.json"]);
  });

  it("rejects an npm lock whose root entry disagrees with package.json", async () => {
    const pkg = JSON.parse(typescriptProject["package.json"] as string);
    pkg.dependencies = { express: "^4.21.2" };
    const e = await inputError({ ...typescriptProject, "package.json": JSON.stringify(pkg) });
    expect(e.message).toBe("package-lock.json is out of sync with package.json: express is not locked");
  });

  it("maps TypeScript sources to compiled paths", () => {
    expect(compiledPath("src/server.ts", undefined, "dist")).toBe("dist/server.js");
    expect(compiledPath("./src/a/b.mts", "src", "./out/")).toBe("out/a/b.mjs");
    expect(parseJsonc('{"a": "http://x", /* c */ "b": [1,],}')).toEqual({ a: "http://x", b: [1] });
  });

  it("reports a package.json that is not JSON, with the line", async () => {
    const e = await inputError({ "package.json": '{\n  "name": "x",\n  "scripts": {\n}' });
    expect(e.message).toMatch(/^package\.json is not valid JSON/);
    expect(e.location?.file).toBe("package.json");
  });
});
