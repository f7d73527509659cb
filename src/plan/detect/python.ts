/**
 * Python project detection: the dependency manifest and lock, native code,
 * tests, the entry point and the port. Pure over the project's files.
 */
import { parse as parseToml } from "smol-toml";
import { InputError } from "../../errors.js";
import type { DjangoApp, EntryPoint, PythonDeps, PythonProject, TestPlan } from "../project.js";
import { detectDjango } from "./django.js";
import type { ProjectFiles } from "./files.js";
import { findHealthRoute, topLevel } from "./files.js";
import { pythonNativeNeeds } from "./native.js";
import type { DetectOptions } from "./options.js";
import {
  exportPdmLock,
  exportPipfileLock,
  exportPoetryLock,
  exportUvLock,
  isTable,
  pep621Deps,
  pep621DevDeps,
  pipfileDeps,
  poetryDevDeps,
  poetryMainDeps,
} from "./python-locks.js";
import { isTestOnly, parseRequirements } from "./requirements.js";
import { checkInterpreter } from "./version-spec.js";

type Table = Record<string, unknown>;

const RUNTIME_REQUIREMENTS = [
  "requirements.txt",
  "requirements/prod.txt",
  "requirements/production.txt",
  "requirements/base.txt",
];
const TEST_REQUIREMENTS = [
  "requirements-dev.txt",
  "requirements-test.txt",
  "requirements_dev.txt",
  "requirements_test.txt",
  "dev-requirements.txt",
  "test-requirements.txt",
  "requirements/dev.txt",
  "requirements/test.txt",
];

/** Files and folders that are never part of the runtime app. */
const NOT_APP = new Set([
  "tests",
  "test",
  "docs",
  "doc",
  "original",
  "Dockerfile",
  "Procfile",
  "README.md",
  "README.rst",
  "README",
  "LICENSE",
  "Makefile",
  "conftest.py",
  "pytest.ini",
  "tox.ini",
  "setup.cfg",
  "noxfile.py",
  "lab.yaml",
  "docker-compose.yml",
  "docker-compose.yaml",
  "compose.yml",
  "compose.yaml",
  ".dockerignore",
  ".gitignore",
  ".github",
  ".python-version",
  "Pipfile",
  "Pipfile.lock",
  "poetry.lock",
  "uv.lock",
  "pdm.lock",
]);

export function isPythonProject(files: ProjectFiles): boolean {
  return (
    files.list.some((f) => /^requirements[^/]*\.txt$/.test(f) || /^requirements\/[^/]+\.txt$/.test(f)) ||
    files.has("pyproject.toml") ||
    files.has("Pipfile") ||
    files.has("setup.py") ||
    // A plain script with no dependencies (lab-004's hello) is a Python project too.
    files.list.some((f) => !f.includes("/") && f.endsWith(".py"))
  );
}

async function readToml(files: ProjectFiles, rel: string): Promise<Table> {
  const text = await files.read(rel);
  if (text === undefined) return {};
  try {
    return parseToml(text) as Table;
  } catch (e) {
    const err = e as { line?: number; column?: number; message?: string };
    throw new InputError(`${rel} is not valid TOML: ${(err.message ?? String(e)).split("\n")[0]}`, {
      location: { file: rel, line: err.line ?? 1, column: err.column ?? 1 },
    });
  }
}

async function readRequirementsTree(
  files: ProjectFiles,
  first: string,
): Promise<{ files: string[]; names: string[]; localPaths: string[] }> {
  const seen: string[] = [];
  const names = new Set<string>();
  const localPaths: string[] = [];
  const queue = [first];
  while (queue.length > 0) {
    const rel = queue.shift() as string;
    if (seen.includes(rel)) continue;
    const text = await files.read(rel);
    if (text === undefined) {
      throw new InputError(`${seen[seen.length - 1] ?? first} includes ${rel}, which does not exist`, {
        location: { file: seen[seen.length - 1] ?? first, line: 1, column: 1 },
      });
    }
    seen.push(rel);
    const parsed = parseRequirements(text);
    for (const r of parsed.requirements) if (r.name) names.add(r.name);
    const dir = rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/") + 1) : "";
    for (const inc of parsed.includes) queue.push(`${dir}${inc}`.replace(/^\.\//, ""));
    for (const p of parsed.localPaths)
      localPaths.push(
        p
          .replace(/^file:/, "")
          .replace(/^\.\//, "")
          .replace(/\/$/, ""),
      );
  }
  return { files: seen, names: [...names].sort(), localPaths };
}

interface DepsResult {
  deps: PythonDeps;
  devNames: string[];
  localPaths: string[];
  pyproject: Table;
}

/** What each dependency source reads: pyproject.toml's tables and whether a lock counts. */
interface DepsContext {
  files: ProjectFiles;
  pyproject: Table;
  /** pyproject.toml's [project]. */
  project: Table;
  /** pyproject.toml's [tool]. */
  tool: Table;
  /** A package with a build system and console scripts: pip installs the project itself. */
  installProject: boolean;
  /** The lock is present and not ignored. */
  lockFor: (lock: string) => boolean;
}

async function detectDeps(files: ProjectFiles, opts: DetectOptions): Promise<DepsResult> {
  const pyproject = await readToml(files, "pyproject.toml");
  const tool = isTable(pyproject.tool) ? pyproject.tool : {};
  const project = isTable(pyproject.project) ? pyproject.project : {};
  const buildSystem = isTable(pyproject["build-system"]) ? pyproject["build-system"] : undefined;
  const scripts = isTable(project.scripts)
    ? project.scripts
    : isTable(tool.poetry) && isTable(tool.poetry.scripts)
      ? tool.poetry.scripts
      : {};
  const installProject = buildSystem !== undefined && Object.keys(scripts).length > 0;

  const lockFor = (lock: string) => files.has(lock) && !opts.ignoreLock;
  const ctx: DepsContext = { files, pyproject, project, tool, installProject, lockFor };

  return (
    (await poetryProjectDeps(ctx)) ??
    (await pep621ProjectDeps(ctx)) ??
    (await pipfileProjectDeps(ctx)) ??
    (await requirementsDeps(ctx)) ??
    noManifestDeps(ctx)
  );
}

/** Poetry: the exported poetry.lock, else the declared main dependencies. */
async function poetryProjectDeps({
  files,
  pyproject,
  tool,
  installProject,
  lockFor,
}: DepsContext): Promise<DepsResult | undefined> {
  const hasPoetry = isTable(tool.poetry) && (isTable(tool.poetry.dependencies) || files.has("poetry.lock"));
  if (!hasPoetry) return undefined;
  const base: PythonDeps = {
    source: "poetry",
    manifest: "pyproject.toml",
    names: poetryMainDeps(pyproject),
    requirementFiles: [],
    installProject,
  };
  if (lockFor("poetry.lock")) {
    const exp = exportPoetryLock(pyproject, await readToml(files, "poetry.lock"));
    return {
      deps: { ...base, lockfile: "poetry.lock", exported: exp.lines, names: exp.names },
      devNames: poetryDevDeps(pyproject),
      localPaths: [],
      pyproject,
    };
  }
  return {
    deps: { ...base, exported: base.names },
    devNames: poetryDevDeps(pyproject),
    localPaths: [],
    pyproject,
  };
}

/** PEP 621 pyproject.toml: the exported uv.lock or pdm.lock, else [project] dependencies (unless requirements.txt is there). */
async function pep621ProjectDeps({
  files,
  pyproject,
  project,
  installProject,
  lockFor,
}: DepsContext): Promise<DepsResult | undefined> {
  if (
    !files.has("pyproject.toml") ||
    !(files.has("uv.lock") || files.has("pdm.lock") || Array.isArray(project.dependencies))
  )
    return undefined;
  const names = pep621Deps(pyproject);
  const devNames = pep621DevDeps(pyproject);
  // A uv or PDM lock: exported to requirement lines, the same result shape for both.
  for (const [source, lockfile, exportLock] of [
    ["uv", "uv.lock", exportUvLock],
    ["pdm", "pdm.lock", exportPdmLock],
  ] as const) {
    if (!lockFor(lockfile)) continue;
    const exp = exportLock(pyproject, await readToml(files, lockfile));
    return {
      deps: {
        source,
        manifest: "pyproject.toml",
        lockfile,
        names: exp.names,
        exported: exp.lines,
        requirementFiles: [],
        installProject,
      },
      devNames,
      localPaths: [],
      pyproject,
    };
  }
  if (files.list.some((f) => f === "requirements.txt")) return undefined;
  const declared = Array.isArray(project.dependencies)
    ? project.dependencies.filter((d): d is string => typeof d === "string")
    : [];
  return {
    deps: {
      source: "pyproject",
      manifest: "pyproject.toml",
      names,
      exported: declared,
      requirementFiles: [],
      installProject,
    },
    devNames,
    localPaths: [],
    pyproject,
  };
}

/** Pipenv (without a requirements.txt beside it): the exported Pipfile.lock, else Pipfile's packages. */
async function pipfileProjectDeps({
  files,
  pyproject,
  lockFor,
}: DepsContext): Promise<DepsResult | undefined> {
  if (!files.has("Pipfile") || files.has("requirements.txt")) return undefined;
  const pipfile = await readToml(files, "Pipfile");
  const devNames = pipfileDeps(pipfile, "dev-packages");
  if (lockFor("Pipfile.lock")) {
    const text = (await files.read("Pipfile.lock")) ?? "";
    let lock: unknown;
    try {
      lock = JSON.parse(text);
    } catch (e) {
      throw new InputError(`Pipfile.lock is not valid JSON: ${(e as Error).message}`, {
        location: { file: "Pipfile.lock", line: 1, column: 1 },
      });
    }
    const exp = exportPipfileLock(pipfile, lock);
    return {
      deps: {
        source: "pipfile",
        manifest: "Pipfile",
        lockfile: "Pipfile.lock",
        names: exp.names,
        exported: exp.lines,
        requirementFiles: [],
        installProject: false,
      },
      devNames,
      localPaths: [],
      pyproject,
    };
  }
  const names = pipfileDeps(pipfile, "packages");
  return {
    deps: {
      source: "pipfile",
      manifest: "Pipfile",
      names,
      exported: names,
      requirementFiles: [],
      installProject: false,
    },
    devNames,
    localPaths: [],
    pyproject,
  };
}

/** requirements files: the runtime one with its includes, and the test one's names as dev names. */
async function requirementsDeps({ files, pyproject }: DepsContext): Promise<DepsResult | undefined> {
  const req =
    RUNTIME_REQUIREMENTS.find((r) => files.has(r)) ??
    files.list.find((f) => /^requirements[^/]*\.txt$/.test(f) && !TEST_REQUIREMENTS.includes(f));
  if (!req) return undefined;
  const tree = await readRequirementsTree(files, req);
  const devNames: string[] = [];
  const testReq = TEST_REQUIREMENTS.find((r) => files.has(r));
  if (testReq) devNames.push(...(await readRequirementsTree(files, testReq)).names);
  return {
    deps: {
      source: "requirements",
      manifest: req,
      names: tree.names,
      requirementFiles: tree.files,
      installProject: false,
    },
    devNames,
    localPaths: tree.localPaths,
    pyproject,
  };
}

/** No manifest: setup.py installs the project, a plain script needs the standard library only. */
function noManifestDeps({ files, pyproject }: DepsContext): DepsResult {
  if (files.has("setup.py")) {
    return {
      deps: {
        source: "pyproject",
        manifest: "setup.py",
        names: [],
        requirementFiles: [],
        installProject: true,
      },
      devNames: [],
      localPaths: [],
      pyproject,
    };
  }
  if (files.list.some((f) => !f.includes("/") && f.endsWith(".py"))) {
    return {
      deps: {
        source: "requirements",
        manifest: "(no manifest: standard library only)",
        names: [],
        requirementFiles: [],
        installProject: false,
      },
      devNames: [],
      localPaths: [],
      pyproject,
    };
  }
  throw new InputError("no Python dependency manifest found (requirements.txt, pyproject.toml or Pipfile)", {
    hint: "add a requirements.txt (even an empty one) or a pyproject.toml with [project] dependencies",
  });
}

// --- entry point ----------------------------------------------------------

const MAIN_GUARD = /^if\s+__name__\s*==\s*["']__main__["']\s*:/m;
const CONVENTIONAL = ["app.py", "main.py", "server.py", "run.py", "wsgi.py", "asgi.py", "manage.py"];

function moduleOf(rel: string): string {
  return rel
    .replace(/\.py$/, "")
    .replace(/\/__init__$/, "")
    .replace(/\//g, ".");
}

async function appObject(
  files: ProjectFiles,
  cls: RegExp,
  candidates: string[],
): Promise<string | undefined> {
  for (const f of candidates) {
    const text = (await files.read(f)) ?? "";
    const m = new RegExp(`^(\\w+)\\s*=\\s*(?:${cls.source})\\(`, "m").exec(text);
    if (m?.[1]) return `${moduleOf(f)}:${m[1]}`;
  }
  return undefined;
}

async function detectEntry(
  files: ProjectFiles,
  deps: DepsResult,
  appPy: string[],
  opts: DetectOptions,
  django: DjangoApp | undefined,
): Promise<EntryPoint> {
  if (opts.entry && opts.entry.length > 0) return { argv: opts.entry, source: "--entry" };
  if (opts.existing?.entry) return opts.existing.entry;
  const procfile = await files.read("Procfile");
  if (procfile) {
    const web = /^web:\s*(.+)$/m.exec(procfile);
    if (web?.[1]) {
      const words = web[1]
        .trim()
        .split(/\s+/)
        .map((w) => w.replace(/\$PORT|\$\{PORT(:-\d+)?\}/g, String(opts.port ?? 8000)));
      return { argv: words, source: "Procfile web" };
    }
  }
  const project = isTable(deps.pyproject.project) ? deps.pyproject.project : {};
  const tool = isTable(deps.pyproject.tool) ? deps.pyproject.tool : {};
  const scripts = isTable(project.scripts)
    ? project.scripts
    : isTable(tool.poetry) && isTable(tool.poetry.scripts)
      ? tool.poetry.scripts
      : {};
  const scriptNames = Object.keys(scripts);
  if (scriptNames.length === 1 && deps.deps.installProject) {
    return {
      argv: [scriptNames[0] as string],
      source: `[project.scripts] ${scriptNames[0]} in pyproject.toml`,
    };
  }
  const names = new Set(deps.deps.names);
  const topPy = appPy.filter((f) => !f.includes("/"));
  const ordered = [
    ...CONVENTIONAL.filter((c) => appPy.includes(c)),
    ...appPy.filter((f) => !CONVENTIONAL.includes(f)),
  ];
  const port = opts.port ?? 8000;
  // Django: the server runs the settings' application; manage.py is no server without a subcommand.
  if (django) {
    const { asgi, wsgi } = django;
    // ASGI when the settings name an ASGI application, or when uvicorn is the only server.
    if (names.has("uvicorn") && asgi && (asgi.explicit || !names.has("gunicorn") || !wsgi))
      return {
        argv: ["uvicorn", asgi.target, "--host", "0.0.0.0", "--port", String(port)],
        source: `uvicorn in ${deps.deps.manifest}, Django's ASGI application ${asgi.target} (${asgi.source})`,
      };
    if (names.has("gunicorn") && wsgi)
      return {
        argv: ["gunicorn", "--bind", `0.0.0.0:${port}`, wsgi.target],
        source: `gunicorn in ${deps.deps.manifest}, Django's WSGI application ${wsgi.target} (${wsgi.source})`,
      };
  }
  if (names.has("gunicorn")) {
    const target = await appObject(files, /Flask|Django|falcon\.App|WSGIApplication/, ordered);
    if (target) {
      return {
        argv: ["gunicorn", "--bind", `0.0.0.0:${port}`, target],
        source: `gunicorn in ${deps.deps.manifest}, app object ${target}`,
      };
    }
  }
  if (names.has("uvicorn")) {
    const target = await appObject(files, /FastAPI|Starlette|Litestar/, ordered);
    if (target) {
      return {
        argv: ["uvicorn", target, "--host", "0.0.0.0", "--port", String(port)],
        source: `uvicorn in ${deps.deps.manifest}, app object ${target}`,
      };
    }
  }
  const mains: string[] = [];
  // Django's manage.py has a __main__ guard but starts nothing without a subcommand.
  for (const f of topPy.filter((x) => !(django && x === "manage.py"))) {
    const text = (await files.read(f)) ?? "";
    if (MAIN_GUARD.test(text)) mains.push(f);
  }
  const pkgMains = appPy.filter((f) => /^[^/]+\/__main__\.py$/.test(f)).map((f) => f.split("/")[0] as string);
  const candidates: EntryPoint[] = [
    ...mains.map((f) => ({ argv: ["python", f], source: `__main__ guard in ${f}` })),
    ...pkgMains.map((p) => ({ argv: ["python", "-m", p], source: `${p}/__main__.py` })),
  ];
  if (candidates.length === 1) return candidates[0] as EntryPoint;
  if (candidates.length === 0 && django?.manage)
    return {
      argv: ["python", "manage.py", "runserver", `0.0.0.0:${port}`, "--noreload"],
      source: `manage.py runserver, Django's development server: the last resort, since ${deps.deps.manifest} has no gunicorn or uvicorn`,
    };
  if (candidates.length > 1) {
    const conventional = candidates.filter((c) => CONVENTIONAL.includes(c.argv[1] ?? ""));
    if (conventional.length === 1) return conventional[0] as EntryPoint;
    throw new InputError(
      `the entry point is ambiguous: ${candidates.map((c) => `\`${c.argv.join(" ")}\``).join(", ")} could each start the app`,
      { hint: `pass the command, for example --entry '${candidates[0]?.argv.join(" ")}'` },
    );
  }
  if (topPy.length === 1)
    return { argv: ["python", topPy[0] as string], source: `the only module, ${topPy[0]}` };
  throw new InputError(
    "no entry point found: no CMD, Procfile, [project.scripts], gunicorn/uvicorn app or __main__ module",
    {
      hint: "pass the command that starts the app, for example --entry 'python app.py'",
    },
  );
}

// --- port, tests, tzdata --------------------------------------------------

async function detectPort(
  files: ProjectFiles,
  entry: EntryPoint,
  appPy: string[],
  opts: DetectOptions,
): Promise<number | undefined> {
  if (opts.port !== undefined) return opts.port;
  const joined = entry.argv.join(" ");
  const bind = /(?:--bind|-b)[ =](?:[\w.]*):(\d+)|--port[ =](\d+)|\brunserver (?:[\w.]*:)?(\d+)/.exec(joined);
  if (bind) return Number(bind[1] ?? bind[2] ?? bind[3]);
  if (opts.existing && opts.existing.ports.length > 0) return opts.existing.ports[0];
  if (entry.argv[0] === "gunicorn" || entry.argv[0] === "uvicorn") return 8000;
  const file = entry.argv[0] === "python" && entry.argv[1]?.endsWith(".py") ? entry.argv[1] : undefined;
  for (const f of file ? [file, ...appPy] : appPy) {
    const text = (await files.read(f)) ?? "";
    const m =
      /\.run\([^)]*port\s*=\s*(?:int\(\s*os\.(?:environ\.get|getenv)\(\s*["']PORT["']\s*,\s*["']?)?(\d+)/s.exec(
        text,
      );
    if (m?.[1]) return Number(m[1]);
    if (/\bFlask\(/.test(text) && /\.run\(/.test(text)) return 5000;
  }
  return undefined;
}

async function detectTests(files: ProjectFiles, deps: DepsResult): Promise<TestPlan | undefined> {
  const testFiles = files.list.filter((f) => /(^|\/)(test_[^/]*|[^/]*_test)\.py$/.test(f));
  if (testFiles.length === 0) return undefined;
  const all = new Set([...deps.deps.names, ...deps.devNames]);
  const testReq = TEST_REQUIREMENTS.find((r) => files.has(r));
  let usesPytest =
    all.has("pytest") ||
    files.has("conftest.py") ||
    files.list.some((f) => f.endsWith("/conftest.py")) ||
    files.has("pytest.ini");
  let usesUnittest = false;
  for (const f of testFiles.slice(0, 20)) {
    const text = (await files.read(f)) ?? "";
    if (/^\s*(import pytest|from pytest)/m.test(text)) usesPytest = true;
    if (/unittest\.TestCase/.test(text)) usesUnittest = true;
  }
  // Plain assert-style test functions are pytest's convention.
  if (!usesPytest && !usesUnittest) usesPytest = true;
  const source = `${testFiles.length} test file${testFiles.length === 1 ? "" : "s"} (${testFiles.slice(0, 3).join(", ")}${testFiles.length > 3 ? ", ..." : ""})`;
  if (!usesPytest)
    return {
      argv: ["python", "-m", "unittest", "discover", "-v"],
      requirementFiles: testReq ? [testReq] : [],
      packages: [],
      source,
    };
  const packages = [...deps.devNames.filter((d) => !deps.deps.names.includes(d))];
  if (!all.has("pytest")) packages.push("pytest");
  return {
    argv: ["python", "-m", "pytest", "-q"],
    requirementFiles: testReq ? [testReq] : [],
    packages: testReq ? (all.has("pytest") ? [] : ["pytest"]) : [...new Set(packages)].sort(),
    source,
  };
}

// --- assembly -------------------------------------------------------------

/**
 * Folders an app's settings say it writes to: Django's MEDIA_ROOT and Flask's
 * UPLOAD_FOLDER, when they are a literal folder (relative to the app, or
 * below BASE_DIR / os.path.join(BASE_DIR, ...)).
 */
export function writableSettings(text: string): Array<{ name: string; path: string }> {
  const out: Array<{ name: string; path: string }> = [];
  const re =
    /^\s*(?:app\.config\[["'])?(MEDIA_ROOT|UPLOAD_FOLDER|UPLOAD_DIR)(?:["']\])?\s*=\s*(?:BASE_DIR\s*\/\s*["']([^"']+)["']|os\.path\.join\(\s*BASE_DIR\s*,\s*["']([^"']+)["']\s*\)|["']([^"']+)["'])/gm;
  for (const m of text.matchAll(re)) {
    const p = m[2] ?? m[3] ?? m[4];
    if (m[1] && p && !p.includes("..")) out.push({ name: m[1], path: p });
  }
  // SQLite writes its database and a journal beside it: the folder of the file must be writable.
  if (/django\.db\.backends\.sqlite3/.test(text)) {
    const name =
      /["']NAME["']\s*:\s*(?:os\.path\.join\(\s*BASE_DIR\s*,((?:\s*["'][^"']+["']\s*,?)+)\s*\)|BASE_DIR((?:\s*\/\s*["'][^"']+["'])+)|["']([^"'/][^"']*)["'])/.exec(
        text,
      );
    const parts = name
      ? [...(name[1] ?? name[2] ?? `"${name[3] ?? ""}"`).matchAll(/["']([^"']+)["']/g)].map(
          (x) => x[1] as string,
        )
      : [];
    const file = parts.join("/");
    if (file && !file.includes("..") && file !== ":memory:") {
      const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".";
      out.push({ name: `DATABASES NAME ${file} (SQLite)`, path: dir });
    }
  }
  return out;
}

export async function detectPython(files: ProjectFiles, opts: DetectOptions = {}): Promise<PythonProject> {
  const notes: string[] = [];
  const requires = /^\s*requires-python\s*=\s*["']([^"']+)["']/m.exec(
    (await files.read("pyproject.toml")) ?? "",
  )?.[1];
  const rangeNote = checkInterpreter("python", requires, "pyproject.toml requires-python");
  if (rangeNote) notes.push(rangeNote);
  const deps = await detectDeps(files, opts);
  const appPy = files.list.filter(
    (f) =>
      f.endsWith(".py") &&
      !/(^|\/)(tests?|docs?|original)\//.test(f) &&
      !/(^|\/)(test_[^/]*|[^/]*_test|conftest|setup|noxfile)\.py$/.test(f),
  );
  const django = await detectDjango(files, deps.deps.names, appPy);
  const entry = await detectEntry(files, deps, appPy, opts, django);
  const port = await detectPort(files, entry, appPy, opts);

  // Native code: known source-only packages, and C extensions in local packages or the project itself.
  const extDirs = new Set<string>();
  for (const lp of [...deps.localPaths, "."]) {
    const prefix = lp === "." || lp === "" ? "" : `${lp}/`;
    const setup = (await files.read(`${prefix}setup.py`)) ?? "";
    const pyproj = (await files.read(`${prefix}pyproject.toml`)) ?? "";
    if (/\bExtension\(|ext_modules/.test(setup) || /ext-modules/.test(pyproj)) extDirs.add(prefix);
  }
  const cSources: Array<{ path: string; text: string }> = [];
  for (const f of files.list) {
    if (!/\.(c|cc|cpp|pyx|h)$/.test(f)) continue;
    if (![...extDirs].some((d) => f.startsWith(d))) continue;
    cSources.push({ path: f, text: (await files.read(f)) ?? "" });
  }
  const native = pythonNativeNeeds(deps.deps.names, cSources, extDirs.size > 0);

  const tests = await detectTests(files, deps);
  const testOnly = deps.deps.names.filter(isTestOnly);
  if (testOnly.length > 0)
    notes.push(
      `${testOnly.join(", ")} ${testOnly.length === 1 ? "is a test dependency" : "are test dependencies"} listed in ${deps.deps.manifest}: installed in the test stage only`,
    );

  const exclude = new Set([...NOT_APP, ...(deps.deps.requirementFiles ?? [])]);
  const appPaths = topLevel(files).filter((n) => {
    if (exclude.has(n) || n.startsWith("Dockerfile") || n.startsWith(".") || n.endsWith(".md")) return false;
    if (/^requirements.*\.txt$/.test(n) || n === "requirements") return false;
    if (n === "pyproject.toml" && !deps.deps.installProject) return false;
    if (deps.localPaths.includes(n)) return false;
    return true;
  });
  let usesTzdata = deps.deps.names.some((n) => n === "pytz" || n === "tzdata");
  const writable: Array<{ path: string; source: string }> = [];
  for (const f of appPy.slice(0, 50)) {
    const text = (await files.read(f)) ?? "";
    // Django's USE_TZ and zoneinfo/pytz read the time-zone database at run time.
    if (/\bzoneinfo\b|\bpytz\b|^\s*USE_TZ\s*=\s*True/m.test(text)) usesTzdata = true;
    for (const w of writableSettings(text)) writable.push({ path: w.path, source: `${w.name} in ${f}` });
    // Flask's development server with its debugger: kept as the app's command, but never without a word.
    if (/\bFlask\(/.test(text) && /\.run\([^)]*\bdebug\s*=\s*True/s.test(text))
      notes.push(
        `${f} runs Flask's development server with debug=True: the Werkzeug debugger (it runs Python for anyone who has its PIN) answers on every address the app binds, in the optimized image too; serve the app with gunicorn, or read debug from the environment`,
      );
  }

  const project: PythonProject = {
    kind: "python",
    dir: files.dir,
    pythonVersion: opts.pythonVersion ?? "3.11",
    deps: { ...deps.deps, ...(deps.localPaths.length > 0 ? { localPaths: deps.localPaths } : {}) },
    entry,
    native,
    appPaths,
    usesTzdata,
    notes,
  };
  if (writable.length > 0) project.writable = writable;
  if (django) project.django = django;
  if (port !== undefined) project.port = port;
  const health = await findHealthRoute(files, appPy);
  if (health) project.healthPath = health;
  if (tests) project.tests = tests;
  return project;
}
