/**
 * What detection finds out about a project: plain data that the templates
 * turn into a Dockerfile. Every field says where it came from, so that the
 * optimize report can explain each decision.
 */

/** The command the container runs, and where slimstage found it. */
export interface EntryPoint {
  /** Exec-form argv, for example ["python", "app.py"] or ["node", "dist/server.js"]. */
  argv: string[];
  /** Human-readable origin: "CMD in Dockerfile:9", "Procfile web", "__main__ in app.py". */
  source: string;
}

/** Native code in the dependencies: decides whether the builder needs a toolchain. */
export interface NativeNeeds {
  /** Debian packages the builder installs to compile (build-essential, libpq-dev, ...). */
  buildPackages: string[];
  /** Debian runtime packages known up front (the builder also works them out from ELF needs). */
  runtimePackages: string[];
  /** Why: one line per finding ("psycopg2 builds from source against libpq"). */
  reasons: string[];
}

export type PythonDepsSource = "requirements" | "pyproject" | "poetry" | "uv" | "pdm" | "pipfile";

export interface PythonDeps {
  source: PythonDepsSource;
  /** The manifest file, relative to the project dir (requirements.txt, pyproject.toml, Pipfile). */
  manifest: string;
  /** The lockfile when there is one (poetry.lock, uv.lock, pdm.lock, Pipfile.lock). */
  lockfile?: string;
  /** Normalised names of the runtime dependencies (for native detection and reports). */
  names: string[];
  /**
   * Pinned requirement lines exported from a lockfile: pip installs them
   * without the lock tool (poetry, uv, pdm and pipenv are not in the image).
   */
  exported?: string[];
  /** Requirement files pip installs directly (requirements.txt and its -r includes). */
  requirementFiles: string[];
  /** The project is itself an installable package (pip install --no-deps .). */
  installProject: boolean;
  /** Local package folders the requirements install (`./pqver`): copied before pip runs. */
  localPaths?: string[];
}

export interface TestPlan {
  /** The command the test stage runs, exec argv. */
  argv: string[];
  /** Requirement files with test dependencies (requirements-dev.txt), installed only in the test stage. */
  requirementFiles: string[];
  /** Extra packages the test stage installs (pytest when only the tests imply it). */
  packages: string[];
  /** Where the tests were found. */
  source: string;
}

export interface PythonProject {
  kind: "python";
  dir: string;
  /** The python minor version of the base image ("3.11"). */
  pythonVersion: string;
  deps: PythonDeps;
  entry: EntryPoint;
  port?: number;
  /** A health route found in the sources (`/health`), preferred for HEALTHCHECK over the probe path. */
  healthPath?: string;
  tests?: TestPlan;
  native: NativeNeeds;
  /** Top-level files and folders of the app that the runtime needs (tests, docs and tooling left out). */
  appPaths: string[];
  /** Modules that need tzdata at run time (zoneinfo use). */
  usesTzdata: boolean;
  /** Folders the app's settings write to (MEDIA_ROOT, UPLOAD_FOLDER), relative to the app or absolute. */
  writable?: Array<{ path: string; source: string }>;
  /** A Django project: its settings, server application, static files and allowed hosts. */
  django?: DjangoApp;
  notes: string[];
}

/** What a Django project's settings say (read from their text, not imported). */
export interface DjangoApp {
  /** The dotted settings module ("mysite.settings"). */
  settingsModule: string;
  /** Its file (mysite/settings.py). */
  settingsFile: string;
  /** Where the module was named: "DJANGO_SETTINGS_MODULE in manage.py", or the one settings.py a folder down. */
  settingsSource: string;
  /** The project has manage.py. */
  manage: boolean;
  /** The WSGI application for gunicorn ("mysite.wsgi:application") and where it was found. */
  wsgi?: { target: string; source: string };
  /** The ASGI application for uvicorn; `explicit` when ASGI_APPLICATION names it (not only an asgi.py). */
  asgi?: { target: string; source: string; explicit: boolean };
  /** STATIC_ROOT as a folder, relative to the app or absolute: collectstatic fills it in the build. */
  staticRoot?: { path: string; source: string };
  /** STATIC_ROOT set to something slimstage cannot read as a folder (the assignment, for the note). */
  staticRootUnread?: string;
  /**
   * Who serves STATIC_ROOT at run time: "whitenoise" (its middleware is in the settings),
   * "whitenoise-unused" (a dependency, not in MIDDLEWARE), "urlconf:FILE" (django.views.static.serve).
   */
  staticServer?: string;
  /** DEBUG when it is a literal True/False. */
  debug?: boolean;
  /** ALLOWED_HOSTS: its text, the hosts when it is a literal list, the variable it is read from. */
  allowedHosts?: { text: string; hosts?: string[]; env?: string };
  /** Variables the settings read with os.environ["X"]: importing them fails without these. */
  requiredEnv: string[];
}

export type NodePackageManager = "npm" | "pnpm" | "yarn";

export interface NodeProject {
  kind: "node";
  dir: string;
  /** Major version of the Node base ("22"). */
  nodeVersion: string;
  packageManager: NodePackageManager;
  /** Version pinned by package.json's packageManager field, if any. */
  packageManagerVersion?: string;
  lockfile: string;
  /** Yarn Berry (v2+) lockfile rather than Yarn classic. */
  yarnBerry: boolean;
  /** The build script (TypeScript compile) when there is one. */
  build?: { script: string; outDir: string; source: string };
  entry: EntryPoint;
  port?: number;
  /** A health route found in the sources (`/health`), preferred for HEALTHCHECK over the probe path. */
  healthPath?: string;
  tests?: TestPlan;
  native: NativeNeeds;
  /** Files and folders the runtime needs besides node_modules. */
  appPaths: string[];
  hasProductionDeps: boolean;
  /** Next.js: how `next build` leaves the app for the runtime (standalone server or `next start`). */
  next?: NextApp;
  notes: string[];
}

/** A Next.js app and what its build leaves for the runtime. */
export interface NextApp {
  /** The config file (next.config.mjs), when there is one. */
  config?: string;
  /**
   * "standalone": `output: "standalone"`, .next/standalone with server.js and the node_modules files it
   * traced; "server": a plain `next build`, run by `next start` with the production node_modules.
   */
  output: "standalone" | "server";
  /** The project has a public/ folder. */
  publicDir: boolean;
}

export type Project = PythonProject | NodeProject;
