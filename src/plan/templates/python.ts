/**
 * The Python templates. Both tiers share the builder (a venv in /opt/venv
 * with the runtime dependencies only, toolchain only when native code needs
 * it) and the test stage (the project's tests with their own dependencies,
 * which never reach the runtime venv). They differ in the runtime stage:
 * the slim base with the runtime libraries the extensions need, or FROM
 * scratch with the interpreter's ELF closure and a trimmed standard library.
 */

import { isTestOnly } from "../detect/requirements.js";
import { pythonDockerignore } from "../dockerignore.js";
import {
  closureCommands,
  installRuntimePackagesCommand,
  PIPEFAIL_SHELL,
  RUNTIME_PACKAGES_FILE,
  runtimePackagesCommands,
} from "../elf-needs.js";
import type { PythonProject } from "../project.js";
import { FIND_LINKS_ARG } from "../run-index.js";
import { collectstaticLine, djangoDecisions, staticRootCopy } from "./django.js";
import {
  caBundleCommands,
  caBundleCopy,
  carryBaseEnv,
  entrypointLine,
  healthcheckLine,
  initDecision,
  initStage,
  runtimeExtras,
  runtimeWorkdir,
} from "./production.js";
import {
  execForm,
  NEEDS_BUILDKIT,
  type PlannedFiles,
  type PlanStateBase,
  planStateBase,
  runLines,
  sq,
  type TemplateOptions,
  type Tier,
} from "./text.js";

/**
 * Bytecode compiled in the builder (#20 item 5): unchecked-hash .pyc files
 * carry a hash of the source instead of its mtime, so rebuilds are
 * byte-identical, and Python never re-checks them, so nothing compiles at
 * start-up (the app user could not write the cache anyway).
 */
export function compileCommand(paths: string[]): string {
  // The file name inside the bytecode needs no care: the import system sets it to where the source is found.
  return `python -m compileall -q -j 0 --invalidation-mode unchecked-hash ${paths.join(" ")}`;
}

const VENV = "/opt/venv";

/**
 * The standard-library modules the dependencies load, compiled in the builder.
 * The Python base ships most of its standard library as source only (the
 * local base compiled 250 of 1,399 modules; the official images delete their
 * .pyc files), and the app user cannot write bytecode: every start compiled
 * what the dependencies import from it, twice under Werkzeug's reloader
 * (importing flask and werkzeug.serving: 300 against 258 ms per interpreter
 * once compiled). Compiling all of it would add about 8 MB, so the builder
 * imports each installed top-level package and its direct submodules
 * (werkzeug.serving is one: app.run imports it), each bounded by an alarm,
 * and compiles the standard-library files that were loaded. A package's
 * `__main__` is left out: importing it runs the package's command line. A failing or
 * hanging import only leaves its modules uncompiled: the step never fails
 * the build for it.
 */
export const STDLIB_USED_SCRIPT = [
  "import importlib, importlib.metadata as md, os, pkgutil, signal, sys, sysconfig",
  'std = os.path.join(sysconfig.get_paths()["stdlib"], "")',
  "def alarm(*_): raise TimeoutError",
  "signal.signal(signal.SIGALRM, alarm)",
  "def load(name):",
  "    signal.alarm(20)",
  "    try: return importlib.import_module(name)",
  "    except BaseException: return None",
  "    finally: signal.alarm(0)",
  "names = set()",
  "for d in md.distributions():",
  '    top = d.read_text("top_level.txt")',
  '    names.update(top.split() if top else [str(f).split("/")[0].removesuffix(".py") for f in d.files or [] if str(f).endswith(".py") and str(f).count("/") <= 1])',
  "for name in sorted(n for n in names if n.isidentifier()):",
  "    pkg = load(name)",
  '    for sub in sorted(m.name for m in pkgutil.iter_modules(getattr(pkg, "__path__", None) or []) if m.name != "__main__"):',
  '        load(name + "." + sub)',
  'used = sorted({f for m in list(sys.modules.values()) if isinstance(f := getattr(m, "__file__", None), str) and f.startswith(std) and f.endswith(".py") and "/site-packages/" not in f})',
  'open(sys.argv[1], "w").write("".join(f + chr(10) for f in used))',
  "os._exit(0)",
];

/** The deps stage's RUN that compiles the standard-library modules the dependencies load (STDLIB_USED_SCRIPT). */
function stdlibBytecodeRun(): string {
  const script = "/tmp/slimstage-stdlib-used.py";
  const list = "/tmp/slimstage-stdlib-used.txt";
  // One script line per Dockerfile line: the script reads as Python in the Dockerfile.
  const write = [`printf '%s\\n'`, ...STDLIB_USED_SCRIPT.map((l) => `  '${l}'`)].join(" \\\n    ");
  return runLines("RUN ", [
    `${write} > ${script}`,
    `{ timeout 600 python ${script} ${list} > /dev/null 2>&1 || true; }`,
    `if [ -s ${list} ]; then python -m compileall -q -j 0 --invalidation-mode unchecked-hash -i ${list}; fi`,
    `rm -f ${script} ${list}`,
  ]);
}

const PIP_CACHE = "--mount=type=cache,target=/root/.cache/pip";
const APT_CACHE =
  "--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt/lists,sharing=locked";
/** The file slimstage writes with the pinned runtime set exported from a lockfile. */
export const EXPORTED_REQUIREMENTS = "requirements.slimstage.txt";

/** Standard-library parts that no server app imports: tests, IDLE, Tk, ensurepip, 2to3, turtle demos. */
export const STDLIB_DROP = [
  "test",
  "idlelib",
  "tkinter",
  "turtledemo",
  "turtle.py",
  "ensurepip",
  "lib2to3",
  "pydoc_data",
  "site-packages",
  "config-*",
  "__phello__",
];
/** Extension modules dropped with them (and the libraries they alone would pull into the closure). */
export const DYNLOAD_DROP = [
  "_tkinter*",
  "_test*",
  "_ctypes_test*",
  "_xxtestfuzz*",
  "xxlimited*",
  "xxsubtype*",
  "readline*",
  "_curses*",
  "_dbm*",
  "_gdbm*",
];

/** What every stage of the Python plan reads, and the Dockerfile and decisions they write to. */
interface PythonPlanState extends PlanStateBase {
  p: PythonProject;
  extraFiles: Record<string, string>;
  native: boolean;
  tests: PythonProject["tests"];
  py: string;
  collectstatic: string | undefined;
}

/** What the deps stage hands to the later stages: the pip command and the test-only manifest entries. */
interface PythonDeps {
  pip: string;
  testOnlyInManifest: string[];
}

export function pythonPlan(p: PythonProject, tier: Tier, opts: TemplateOptions = {}): PlannedFiles {
  const s: PythonPlanState = {
    ...planStateBase(tier, opts, `python:${p.pythonVersion}-slim`),
    p,
    extraFiles: {},
    native: p.native.buildPackages.length > 0,
    tests: opts.skipTests ? undefined : p.tests,
    py: `python${p.pythonVersion}`,
    // Django's collectstatic runs where the app is copied from, so the collected folder ships with it.
    collectstatic: p.django ? collectstaticLine(p.django) : undefined,
  };
  const { df, decisions } = s;

  df.comment(
    `Generated by slimstage optimize (tier: ${tier}) for a Python ${p.pythonVersion} project.`,
    `Dependencies: ${p.deps.lockfile ? `${p.deps.lockfile} (exported to ${EXPORTED_REQUIREMENTS})` : p.deps.manifest}; entry point: ${p.entry.source}.`,
    NEEDS_BUILDKIT,
  );
  df.blank();

  const deps = pythonDepsStage(s);
  const appFrom = s.tests ? pythonTestStage(s, deps) : pythonAppStage(s);
  const appCopies = pythonAppCopies(s, appFrom);
  if (p.django) decisions.push(...djangoDecisions(p.django, p.entry, p.port, s.appDir));
  const env = [
    `PATH=${VENV}/bin:${tier === "distroless" ? "/usr/local/bin" : "$PATH"}`,
    `VIRTUAL_ENV=${VENV}`,
    "PYTHONDONTWRITEBYTECODE=1",
    "PYTHONUNBUFFERED=1",
  ];
  if (servesWithGunicorn(p.entry.argv)) {
    // gunicorn >= 25.1 opens a control socket in $XDG_RUNTIME_DIR, else $HOME/.gunicorn; the
    // app user's home is /nonexistent, and every start logged "Control server error: Permission denied".
    env.push("XDG_RUNTIME_DIR=/tmp");
    decisions.push({
      topic: "runtime",
      text: "gunicorn (25.1 and later) opens its control socket in $XDG_RUNTIME_DIR or $HOME/.gunicorn; the app user has no home, so XDG_RUNTIME_DIR=/tmp (writable in both tiers) keeps it from failing with Permission denied at every start",
    });
  }
  // Neither runtime has Debian's openssl package (its /usr/lib/ssl points OpenSSL at the bundle): without
  // this, the slim tier's ssl module trusted no CA at all where the original image trusted the base's bundle.
  env.push("SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt");
  env.push(...carryBaseEnv(decisions, s.base, s.opts.baseEnv, env));
  if (tier === "slim") pythonSlimRuntime(s, env, appCopies);
  else pythonDistrolessRuntime(s, env, appCopies);
  pythonStartup(s);

  const out: PlannedFiles = {
    dockerfile: df.toString(),
    dockerignore: pythonDockerignore(p),
    extraFiles: s.extraFiles,
    decisions,
    tier,
    builderBase: s.base,
  };
  if (s.tests) out.testStage = "test";
  return out;
}

/** ---- deps ----: the toolchain when native code needs it, the venv, the runtime dependencies, their bytecode. */
function pythonDepsStage(s: PythonPlanState): PythonDeps {
  const { p, df, decisions, native } = s;
  df.comment(
    `---- deps: the runtime dependencies in a virtual environment (${VENV}) ----`,
    native
      ? `Toolchain and headers only here: ${p.native.reasons.join("; ")}.`
      : "No native code to compile: no toolchain, binary wheels only.",
  );
  df.line(`FROM ${s.base} AS deps`);
  df.line("ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1");
  if (native) {
    df.line(
      runLines(`RUN ${APT_CACHE} \\\n    `, [
        "rm -f /etc/apt/apt.conf.d/docker-clean",
        "apt-get update",
        `apt-get install -y --no-install-recommends ${p.native.buildPackages.join(" ")}`,
      ]),
    );
    decisions.push({
      topic: "builder",
      text: `the builder installs ${p.native.buildPackages.join(", ")} because ${p.native.reasons.join("; ")}; none of it reaches the runtime image`,
    });
  } else {
    decisions.push({
      topic: "builder",
      // Binary wheels may well hold native code (mysql-connector-python's 40 .so files): nothing is compiled here.
      text: "nothing among the dependencies needs compiling (no source-only package with C code): the builder has no compiler or headers",
    });
  }
  // The venv has no pip of its own: the base's pip installs into it (pip --python), so the runtime prefix holds only the app's dependencies.
  df.line(`RUN python -m venv --without-pip ${VENV}`);
  df.line(`ENV PATH=${VENV}/bin:$PATH VIRTUAL_ENV=${VENV}`);
  df.line("WORKDIR /app");
  // slimstage passes its per-run package index here (unset in a plain build: pip uses its own config).
  // Declared late: only the steps after it see the run's URL in their cache key.
  df.line(`ARG ${FIND_LINKS_ARG}`);
  decisions.push({
    topic: "prefix",
    text: `dependencies go into a venv at ${VENV} without pip or setuptools; the runtime copies only that folder`,
  });

  const deps = pythonInstallDependencies(s);
  df.line(`RUN python -m compileall -q -j 0 --invalidation-mode unchecked-hash ${VENV}`);
  df.line(stdlibBytecodeRun());
  decisions.push({
    topic: "bytecode",
    text: `the venv and the app are compiled in the builder (unchecked-hash .pyc: byte-identical rebuilds, no compiling at start-up); so are the standard-library modules the dependencies load (imported once in the builder), which the base ships as source only`,
  });
  if (native) {
    decisions.push({
      topic: "runtime-libs",
      text: `the runtime packages are worked out in the builder from the ELF needs of the built extensions (expected: ${p.native.runtimePackages.join(", ") || "none known up front"})`,
    });
  }
  return deps;
}

/** The pip installs of the deps stage: the exported set, the requirement files (without test-only entries), the project itself. */
function pythonInstallDependencies(s: PythonPlanState): PythonDeps {
  const { p, df, decisions } = s;
  // --no-compile: no bytecode in the prefix, like the base image's own standard library (PIP_NO_COMPILE is not honoured).
  const pip = `pip --python ${VENV}/bin/python install --no-compile`;
  const testOnlyInManifest = p.deps.source === "requirements" ? p.deps.names.filter(isTestOnly) : [];
  if (p.deps.exported) {
    const header = p.deps.lockfile
      ? `# Generated by slimstage optimize from ${p.deps.lockfile}: the runtime set, pinned. Regenerate with slimstage optimize --write.\n`
      : `# Generated by slimstage optimize from ${p.deps.manifest}: the declared runtime dependencies.\n`;
    s.extraFiles[EXPORTED_REQUIREMENTS] = `${header}${p.deps.exported.join("\n")}\n`;
    df.line(`COPY ${EXPORTED_REQUIREMENTS} ./`);
    for (const lp of p.deps.localPaths ?? []) df.line(`COPY ${lp}/ ./${lp}/`);
    df.line(`RUN ${PIP_CACHE} \\\n    ${pip} -r ${EXPORTED_REQUIREMENTS}`);
    decisions.push({
      topic: "lock",
      text: p.deps.lockfile
        ? `${p.deps.lockfile} is exported to ${EXPORTED_REQUIREMENTS} (${p.deps.exported.length} pinned packages, dev groups left out) so that plain pip installs the locked set`
        : `the dependencies declared in ${p.deps.manifest} are written to ${EXPORTED_REQUIREMENTS} for pip`,
    });
  } else if (p.deps.requirementFiles.length > 0) {
    df.line(`COPY ${p.deps.requirementFiles.join(" ")} ./`);
    for (const lp of p.deps.localPaths ?? []) df.line(`COPY ${lp}/ ./${lp}/`);
    const main = p.deps.requirementFiles[0] as string;
    if (testOnlyInManifest.length > 0) {
      const re = testOnlyInManifest.map((n) => n.replace(/[-_.]/g, "[-_.]")).join("|");
      df.comment(
        `${testOnlyInManifest.join(", ")} ${testOnlyInManifest.length === 1 ? "is" : "are"} only for the tests: left out of the runtime venv.`,
      );
      df.line(
        `RUN ${PIP_CACHE} \\\n    { grep -viE '^[[:space:]]*(${re})([^A-Za-z0-9._-]|$)' ${main} || true; } > /tmp/requirements.runtime.txt && \\\n    ${pip} -r /tmp/requirements.runtime.txt`,
      );
      decisions.push({
        topic: "tests",
        text: `${testOnlyInManifest.join(", ")} from ${main} is installed in the test stage only, not in the runtime venv`,
      });
    } else {
      df.line(`RUN ${PIP_CACHE} \\\n    ${pip} -r ${main}`);
    }
  } else if (p.deps.installProject) {
    df.line("COPY . .");
  }
  if (p.deps.installProject) {
    if (p.deps.requirementFiles.length > 0 || p.deps.exported) df.line("COPY . .");
    df.line(`RUN ${PIP_CACHE} \\\n    ${pip} --no-deps .`);
    decisions.push({
      topic: "prefix",
      text: "the project is a package with console scripts: installed into the venv with its dependencies",
    });
  }
  return { pip, testOnlyInManifest };
}

/** ---- test ----: the project's tests with their own dependencies; returns the stage the runtime copies the app from. */
function pythonTestStage(s: PythonPlanState, { pip, testOnlyInManifest }: PythonDeps): string {
  const { p, df, decisions } = s;
  const tests = s.tests;
  if (!tests) return "";
  df.blank();
  df.comment("---- test: the project's tests, with test-only dependencies that never reach the runtime ----");
  df.line("FROM deps AS test");
  df.line(`ARG ${FIND_LINKS_ARG}`);
  const pkgs = [...tests.packages, ...testOnlyInManifest].filter((x, i, a) => a.indexOf(x) === i);
  if (tests.requirementFiles.length > 0) {
    df.line(`COPY ${tests.requirementFiles.join(" ")} ./`);
    df.line(
      `RUN ${PIP_CACHE} \\\n    ${pip} ${tests.requirementFiles.map((f) => `-r ${f}`).join(" ")}${pkgs.length ? ` ${pkgs.map(sq).join(" ")}` : ""}`,
    );
  } else if (pkgs.length > 0) {
    df.line(`RUN ${PIP_CACHE} \\\n    ${pip} ${pkgs.map(sq).join(" ")}`);
  }
  df.line("COPY . .");
  if (s.collectstatic) df.line(s.collectstatic);
  df.line(`RUN ${tests.argv.map(sq).join(" ")}`);
  if (p.appPaths.length > 0) df.line(`RUN ${compileCommand(p.appPaths)}`);
  decisions.push({
    topic: "tests",
    text: `a test stage runs \`${tests.argv.join(" ")}\` (${tests.source}); the runtime copies the app from it, so a plain build runs the tests, and ${pkgs.length || tests.requirementFiles.length ? "the test dependencies stay in that stage" : "nothing of it reaches the runtime"}`,
  });
  return "--from=test ";
}

/** ---- app ----: without tests, the app's files with their bytecode; returns the stage to copy from ("" when none). */
function pythonAppStage(s: PythonPlanState): string {
  const { p, df } = s;
  if (p.appPaths.length === 0) return "";
  df.blank();
  df.comment("---- app: the app's files with their bytecode ----");
  df.line("FROM deps AS app");
  df.line("COPY . .");
  if (s.collectstatic) df.line(s.collectstatic);
  df.line(`RUN ${compileCommand(p.appPaths)}`);
  return "--from=app ";
}

/** The runtime's COPY lines for the app's files, from the test or app stage when there is one. */
function pythonAppCopies(s: PythonPlanState, appFrom: string): string[] {
  const { p } = s;
  const appCopies = p.appPaths.map((a) => `COPY ${appFrom}${appFrom ? `/app/${a}` : a} ./${a}`);
  // The bytecode of top-level modules sits in /app/__pycache__.
  if (appFrom && p.appPaths.some((a) => a.endsWith(".py")))
    appCopies.push(`COPY ${appFrom}/app/__pycache__ ./__pycache__`);
  const staticCopy =
    s.collectstatic && appFrom && p.django ? staticRootCopy(p.django, appFrom, p.appPaths) : undefined;
  if (staticCopy) appCopies.push(staticCopy);
  return appCopies;
}

/** The slim tier's interpreter and runtime stages. */
function pythonSlimRuntime(s: PythonPlanState, env: string[], appCopies: string[]): void {
  const { p, df, decisions, uid, runtimeBase, base, py } = s;
  const writable = s.opts.writable ?? [];
  // The runtime is the Debian slim base the Python image is built on, plus the Python image's interpreter
  // (trimmed: no pip, setuptools, ensurepip, tests, IDLE, Tk) and the Debian packages that the interpreter's
  // and the extensions' ELF needs name: the python base's pip, headers and build leftovers never ship.
  const lib = `/usr/local/lib/${py}`;
  df.blank();
  df.comment(
    "---- interpreter: the base image's Python, trimmed, and the Debian packages its ELF needs name ----",
  );
  df.line("FROM deps AS interpreter");
  df.line(PIPEFAIL_SHELL);
  df.line("WORKDIR /");
  df.line(`COPY --from=${runtimeBase} /var/lib/dpkg/status /opt/slimstage/runtime-base-status`);
  df.line(
    runLines(
      "RUN ",
      [
        "set -eu",
        "mkdir -p /interp/usr/local/bin /interp/usr/local/lib",
        `cp -a /usr/local/bin/${py} /interp/usr/local/bin/`,
        `ln -s ${py} /interp/usr/local/bin/python`,
        `ln -s ${py} /interp/usr/local/bin/python3`,
        `cp -a /usr/local/lib/libpython3* /interp/usr/local/lib/`,
        `cp -a --parents ${lib} /interp/`,
        `rm -rf ${STDLIB_DROP.map((d) => `/interp${lib}/${d}`).join(" ")}`,
        `rm -f ${DYNLOAD_DROP.map((d) => `/interp${lib}/lib-dynload/${d}`).join(" ")}`,
        // The base's own stdlib bytecode (the start-up modules it compiled) stays: without it every start compiles them.
        "find /interp -depth \\( -name test -o -name tests -o -name idle_test \\) -type d -exec rm -rf {} +",
        ...caBundleCommands(),
        "sed -n 's/^Package: //p' /opt/slimstage/runtime-base-status | LC_ALL=C sort -u > /opt/slimstage/runtime-base-packages",
        ...runtimePackagesCommands([`/interp${lib}/lib-dynload`, VENV, "/app"], p.native.runtimePackages, {
          baseFile: "/opt/slimstage/runtime-base-packages",
          binaries: [`/usr/local/bin/${py}`],
        }),
      ],
      "; ",
    ),
  );
  df.blank();
  initStage(df, runtimeBase);
  df.comment(`---- runtime: ${runtimeBase}, the interpreter, the venv and the app, as user ${uid} ----`);
  df.line(`FROM ${runtimeBase} AS runtime`);
  df.line(`COPY --from=interpreter ${RUNTIME_PACKAGES_FILE} /tmp/runtime-packages`);
  df.line(
    `RUN ${installRuntimePackagesCommand("/tmp/runtime-packages")} && groupadd --system --gid ${uid} app && useradd --system --uid ${uid} --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app`,
  );
  df.line("COPY --from=interpreter /interp/usr/local/ /usr/local/");
  df.line(caBundleCopy("interpreter"));
  // libpython lives in /usr/local/lib: refresh the loader cache, as the Python image does.
  df.line("RUN ldconfig");
  df.line(`ENV ${env.join(" ")}`);
  runtimeWorkdir(df, uid, writable, s.appDir);
  df.line(`COPY --from=deps ${VENV} ${VENV}`);
  // Writable folders first: a later COPY into an existing folder keeps its owner.
  runtimeExtras(df, decisions, uid, writable, s.appDir);
  for (const c of appCopies) df.line(c);
  df.line("USER app");
  decisions.push({
    topic: "runtime",
    text: `the runtime is ${runtimeBase} (the layers ${base} is built on) with ${base}'s interpreter copied in without pip, setuptools, ensurepip, tests, IDLE and Tk, the Debian packages its modules${s.native ? " and the built extensions" : ""} link (ldd + dpkg -S in the builder), the venv and ${p.appPaths.join(", ") || "no app files"}; the app files stay owned by root, the process runs as the system user app (${uid}); a shell and apt remain for debugging`,
  });
}

/** The distroless tier's rootfs and FROM scratch runtime stages. */
function pythonDistrolessRuntime(s: PythonPlanState, env: string[], appCopies: string[]): void {
  const { p, df, decisions, uid, py } = s;
  const writable = s.opts.writable ?? [];
  df.blank();
  df.comment(
    "---- rootfs: the interpreter's ELF closure and a trimmed standard library, for FROM scratch ----",
  );
  df.line(`FROM deps AS rootfs`);
  df.line(PIPEFAIL_SHELL);
  df.line("WORKDIR /");
  const lib = `/usr/local/lib/${py}`;
  const trim = [
    `cp -a --parents ${lib} /rootfs/`,
    `rm -rf ${STDLIB_DROP.map((d) => `/rootfs${lib}/${d}`).join(" ")}`,
    `rm -f ${DYNLOAD_DROP.map((d) => `/rootfs${lib}/lib-dynload/${d}`).join(" ")}`,
    "find /rootfs/usr/local/lib -depth \\( -name test -o -name tests -o -name idle_test \\) -type d -exec rm -rf {} +",
  ];
  if (p.usesTzdata)
    trim.push("if [ -d /usr/share/zoneinfo ]; then cp -a --parents /usr/share/zoneinfo /rootfs/; fi");
  const cmds = closureCommands({
    rootfs: "/rootfs",
    copy: [`/usr/local/bin/${py}`],
    symlinks: [
      ["/usr/local/bin/python", py],
      ["/usr/local/bin/python3", py],
    ],
    scan: [`/usr/local/bin/${py}`, `/rootfs${lib}/lib-dynload`, VENV],
    skipPrefixes: [VENV, "/app"],
    prepare: trim,
    user: { name: "app", uid },
  });
  df.line(runLines("RUN ", cmds, "; "));
  decisions.push({
    topic: "distroless",
    text: `FROM scratch with ${py}, its ELF closure found by ldd in the builder, the standard library without ${STDLIB_DROP.slice(0, 8).join(", ")} (its bytecode as the base ships it), CA certificates${p.usesTzdata ? ", tzdata (zoneinfo is used)" : ""} and an /etc/passwd with the user app (${uid}); no shell, no package manager`,
  });
  df.blank();
  initStage(df, s.runtimeBase);
  df.comment(`---- runtime: FROM scratch, as user ${uid} ----`);
  df.line("FROM scratch AS runtime");
  df.line("COPY --from=rootfs /rootfs/ /");
  df.line(`ENV ${env.join(" ")}`);
  runtimeWorkdir(df, uid, writable, s.appDir);
  df.line(`COPY --from=deps ${VENV} ${VENV}`);
  // Writable folders first: a later COPY into an existing folder keeps its owner.
  runtimeExtras(df, decisions, uid, writable, s.appDir);
  for (const c of appCopies) df.line(c);
  df.line(`USER ${uid}:${uid}`);
}

/** The runtime's tail: EXPOSE, HEALTHCHECK, the init's ENTRYPOINT and the exec-form CMD. */
function pythonStartup(s: PythonPlanState): void {
  const { p, df, decisions, opts } = s;
  if (p.port !== undefined) df.line(`EXPOSE ${p.port}`);
  const hc = healthcheckLine("python", p.port, p.healthPath ?? opts.healthPath);
  if (hc) {
    df.line(hc.line);
    decisions.push({ topic: "healthcheck", text: hc.text });
  }
  df.line(entrypointLine(opts.entrypoint));
  initDecision(decisions, "Python");
  const cmd = opts.cmd ?? p.entry.argv;
  if (cmd.length > 0) df.line(`CMD ${execForm(cmd)}`);
  decisions.push({
    topic: "cmd",
    text: `exec-form CMD ${execForm(cmd)} from ${p.entry.source}: the app is the init's only child and gets SIGTERM`,
  });
}

/** `gunicorn ...`, `/opt/venv/bin/gunicorn ...` or `python -m gunicorn ...`. */
export function servesWithGunicorn(argv: readonly string[]): boolean {
  const bin = argv[0]?.split("/").pop() ?? "";
  if (bin === "gunicorn") return true;
  return /^python[\d.]*$/.test(bin) && argv[1] === "-m" && argv[2] === "gunicorn";
}
