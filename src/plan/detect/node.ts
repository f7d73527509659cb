/**
 * Node project detection: package manager and lockfile (checked against
 * package.json), the TypeScript build, tests, the entry point and the port.
 */
import { parse as parseYaml } from "yaml";
import { InputError } from "../../errors.js";
import type { EntryPoint, NextApp, NodePackageManager, NodeProject, TestPlan } from "../project.js";
import { finalHealthcheck, splitSimpleShell } from "./existing.js";
import type { ProjectFiles } from "./files.js";
import { findHealthRoute, topLevel } from "./files.js";
import { nodeNativeNeeds } from "./native.js";
import { detectNext, nextAppPaths, nextEntry, nextStartArgv, nextStartPort } from "./next.js";
import type { DetectOptions } from "./options.js";
import { checkInterpreter } from "./version-spec.js";

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v);
const strMap = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (isTable(v)) for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
};

export function isNodeProject(files: ProjectFiles): boolean {
  return files.has("package.json");
}

/** tsconfig.json is JSON with comments and trailing commas; strip those outside strings (no JSONC dep for one file). */
export function parseJsonc(text: string): unknown {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, "$1"));
}

interface Manifest {
  name?: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  main?: string;
  bin: Record<string, string>;
  packageManager?: string;
  type?: string;
}

async function readManifest(files: ProjectFiles): Promise<Manifest> {
  const text = (await files.read("package.json")) ?? "";
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const pos = m ? Number(m[1]) : 0;
    const line = text.slice(0, pos).split("\n").length;
    throw new InputError(`package.json is not valid JSON: ${(e as Error).message}`, {
      location: { file: "package.json", line, column: 1 },
      sourceLine: text.split("\n")[line - 1] ?? "",
    });
  }
  if (!isTable(raw))
    throw new InputError("package.json must hold a JSON object", {
      location: { file: "package.json", line: 1, column: 1 },
    });
  const name = typeof raw.name === "string" ? raw.name : undefined;
  const bin = typeof raw.bin === "string" ? { [name ?? "bin"]: raw.bin } : strMap(raw.bin);
  const m: Manifest = {
    scripts: strMap(raw.scripts),
    dependencies: strMap(raw.dependencies),
    devDependencies: strMap(raw.devDependencies),
    bin,
  };
  if (name) m.name = name;
  if (typeof raw.main === "string") m.main = raw.main;
  if (typeof raw.packageManager === "string") m.packageManager = raw.packageManager;
  if (typeof raw.type === "string") m.type = raw.type;
  return m;
}

function outOfSync(lock: string, diffs: string[], fix: string): InputError {
  return new InputError(
    `${lock} is out of sync with package.json: ${diffs.slice(0, 5).join(", ")}${diffs.length > 5 ? ", ..." : ""}`,
    {
      location: { file: lock, line: 1, column: 1 },
      hint: `run \`${fix}\` and commit the updated ${lock}`,
    },
  );
}

function compareDeclared(declared: Record<string, string>, locked: Record<string, string>): string[] {
  const diffs: string[] = [];
  for (const [k, v] of Object.entries(declared)) {
    if (!(k in locked)) diffs.push(`${k} is not locked`);
    else if (locked[k] !== v) diffs.push(`${k} is ${v} in package.json but ${locked[k]} in the lock`);
  }
  for (const k of Object.keys(locked))
    if (!(k in declared)) diffs.push(`${k} is locked but not in package.json`);
  return diffs;
}

interface LockInfo {
  pm: NodePackageManager;
  lockfile: string;
  yarnBerry: boolean;
  installScripts: string[];
}

async function detectLock(files: ProjectFiles, m: Manifest): Promise<LockInfo | undefined> {
  const declared = { ...m.dependencies, ...m.devDependencies };
  const npmLock = ["package-lock.json", "npm-shrinkwrap.json"].find((f) => files.has(f));
  if (npmLock) {
    let lock: unknown;
    try {
      lock = JSON.parse((await files.read(npmLock)) ?? "");
    } catch (e) {
      throw new InputError(`${npmLock} is not valid JSON: ${(e as Error).message}`, {
        location: { file: npmLock, line: 1, column: 1 },
      });
    }
    const installScripts: string[] = [];
    if (isTable(lock) && isTable(lock.packages)) {
      const root = isTable(lock.packages[""]) ? lock.packages[""] : {};
      const locked = { ...strMap(root.dependencies), ...strMap(root.devDependencies) };
      const diffs = compareDeclared(declared, locked);
      if (diffs.length > 0) throw outOfSync(npmLock, diffs, "npm install");
      for (const [k, v] of Object.entries(lock.packages)) {
        if (isTable(v) && v.hasInstallScript === true && v.dev !== true)
          installScripts.push(k.replace(/^.*node_modules\//, ""));
      }
    } else if (isTable(lock) && isTable(lock.dependencies)) {
      const missing = Object.keys(declared).filter(
        (k) => !(k in (lock as { dependencies: Table }).dependencies),
      );
      if (missing.length > 0)
        throw outOfSync(
          npmLock,
          missing.map((k) => `${k} is not locked`),
          "npm install",
        );
    }
    return { pm: "npm", lockfile: npmLock, yarnBerry: false, installScripts };
  }
  if (files.has("pnpm-lock.yaml")) {
    let lock: unknown;
    try {
      lock = parseYaml((await files.read("pnpm-lock.yaml")) ?? "");
    } catch (e) {
      throw new InputError(`pnpm-lock.yaml is not valid YAML: ${(e as Error).message.split("\n")[0]}`, {
        location: { file: "pnpm-lock.yaml", line: 1, column: 1 },
      });
    }
    const locked: Record<string, string> = {};
    if (isTable(lock)) {
      const importer = isTable(lock.importers) && isTable(lock.importers["."]) ? lock.importers["."] : lock;
      for (const sect of ["dependencies", "devDependencies", "optionalDependencies"]) {
        const s = importer[sect];
        if (!isTable(s)) continue;
        for (const [k, v] of Object.entries(s)) {
          if (isTable(v) && typeof v.specifier === "string") locked[k] = v.specifier;
          else if (isTable(importer.specifiers) && typeof importer.specifiers[k] === "string")
            locked[k] = importer.specifiers[k] as string;
        }
      }
    }
    const diffs = compareDeclared(declared, locked);
    if (diffs.length > 0) throw outOfSync("pnpm-lock.yaml", diffs, "pnpm install");
    return { pm: "pnpm", lockfile: "pnpm-lock.yaml", yarnBerry: false, installScripts: [] };
  }
  if (files.has("yarn.lock")) {
    const text = (await files.read("yarn.lock")) ?? "";
    const berry = /^__metadata:/m.test(text);
    // Entry headers list every "name@range" the entry satisfies.
    const keys = new Set<string>();
    for (const line of text.split("\n")) {
      if (/^\S.*:$/.test(line) && !line.startsWith("#") && !line.startsWith("__metadata")) {
        for (const k of line.slice(0, -1).split(",")) keys.add(k.trim().replace(/^"|"$/g, ""));
      }
    }
    const missing = Object.entries(declared)
      .filter(([k, v]) => !keys.has(`${k}@${v}`) && !keys.has(`${k}@npm:${v}`))
      .map(([k, v]) => `${k}@${v} is not locked`);
    if (missing.length > 0) throw outOfSync("yarn.lock", missing, "yarn install");
    return { pm: "yarn", lockfile: "yarn.lock", yarnBerry: berry, installScripts: [] };
  }
  return undefined;
}

const SCRIPT_RUNNERS = /^(npm|pnpm|yarn)$/;

/** Turns `npm start` / `yarn start` / `pnpm run start` into the script name. */
/** `sh -c "npm run start:prod"` -> its words, when the shell only runs one plain command. */
export function unwrapShell(argv: string[]): string[] {
  if (!/^(\/bin\/|\/usr\/bin\/)?(sh|bash|dash)$/.test(argv[0] ?? "") || argv[1] !== "-c" || argv.length !== 3)
    return argv;
  const words = splitSimpleShell((argv[2] ?? "").replace(/^\s*exec\s+/, ""));
  return words && words.length > 0 ? words : argv;
}

function scriptOf(argv: string[]): string | undefined {
  if (!SCRIPT_RUNNERS.test(argv[0] ?? "")) return undefined;
  const rest = argv.slice(1).filter((a) => a !== "run" && a !== "run-script");
  return rest[0];
}

/** Maps a TypeScript source path to its compiled output (src/server.ts -> dist/server.js). */
export function compiledPath(src: string, rootDir: string | undefined, outDir: string): string {
  let rel = src.replace(/^\.\//, "");
  const root = (rootDir ?? "").replace(/^\.\//, "").replace(/\/$/, "");
  if (root && rel.startsWith(`${root}/`)) rel = rel.slice(root.length + 1);
  else if (!root && rel.startsWith("src/")) rel = rel.slice(4);
  return `${outDir.replace(/^\.\//, "").replace(/\/$/, "")}/${rel.replace(/\.(c|m)?tsx?$/, (_m, p: string | undefined) => `.${p ?? ""}js`)}`;
}

/** Development file watchers: they restart node on changes, and are devDependencies a runtime does not have. */
const DEV_WATCHERS = new Set(["nodemon", "node-dev", "supervisor", "ts-node-dev", "tsnd"]);

/** A package.json script's words, without a leading `cross-env NODE_ENV=...` (undefined: not a plain command). */
function scriptWords(script: string): string[] | undefined {
  return splitSimpleShell(script.replace(/^(cross-env\s+)?(NODE_ENV=\S+\s+)+/, ""));
}

const isWatchFlag = (w: string) => w === "--watch" || w.startsWith("--watch-path");

/** Is this script a development watcher (`nodemon server.js`, `node --watch x`, `tsx watch x`)? */
function isWatcherScript(script: string): boolean {
  const [cmd, ...rest] = scriptWords(script) ?? [];
  return (
    DEV_WATCHERS.has(cmd ?? "") ||
    (cmd === "node" && rest.some(isWatchFlag)) ||
    (cmd === "tsx" && rest[0] === "watch")
  );
}

function nodeArgvFromScript(
  script: string,
  ts: { rootDir?: string; outDir: string } | undefined,
  nextPort?: number,
): string[] | undefined {
  const words = scriptWords(script);
  if (!words || words.length === 0) return undefined;
  const [cmd, ...rest] = words;
  // `node --watch x`: the same node, without the watching.
  if (cmd === "node") return ["node", ...rest.filter((w) => !isWatchFlag(w))];
  // A watcher runs one file: node runs it (the compiled file for TypeScript).
  if (DEV_WATCHERS.has(cmd ?? "") || (cmd === "tsx" && rest[0] === "watch")) {
    const file = rest.find((w) => /\.(c|m)?(j|t)sx?$/.test(w) && !w.startsWith("-"));
    if (file && /\.(c|m)?jsx?$/.test(file)) return ["node", file];
    if (file && ts) return ["node", compiledPath(file, ts.rootDir, ts.outDir)];
    return undefined;
  }
  // NestJS: `nest start` runs the compiled dist/main.js.
  if (cmd === "nest" && rest[0] === "start")
    return ["node", `${(ts?.outDir ?? "dist").replace(/^\.\//, "")}/main`];
  // Next.js without standalone output: `next start` is next's bin, run by node.
  if (cmd === "next" && rest[0] === "start" && nextPort !== undefined)
    return nextStartArgv(rest.slice(1), nextPort);
  if ((cmd === "ts-node" || cmd === "tsx") && ts) {
    const file = rest.find((w) => /\.(c|m)?tsx?$/.test(w));
    if (file) return ["node", compiledPath(file, ts.rootDir, ts.outDir)];
  }
  return undefined;
}

/** The TypeScript output folders, for mapping a source path to the file node runs. */
type TsOut = { rootDir?: string; outDir: string };

/** Notes on package.json's engines.node range and on a missing lockfile. */
async function engineNotes(files: ProjectFiles, lock: LockInfo | undefined, notes: string[]): Promise<void> {
  let engines: unknown;
  try {
    engines = (JSON.parse((await files.read("package.json")) ?? "{}") as { engines?: { node?: unknown } })
      .engines?.node;
  } catch {
    engines = undefined;
  }
  const rangeNote = checkInterpreter(
    "node",
    typeof engines === "string" ? engines : undefined,
    "package.json engines.node",
  );
  if (rangeNote) notes.push(rangeNote);
  if (!lock)
    notes.push("no lockfile: the builder runs `npm install` (add package-lock.json for reproducible builds)");
}

/** The version package.json's packageManager pins (the lockfile decides which package manager it is). */
function packageManagerVersion(m: Manifest, lock: LockInfo | undefined, notes: string[]): string | undefined {
  let pmVersion: string | undefined;
  if (m.packageManager) {
    const [name, version] = m.packageManager.split("@");
    if (name === "npm" || name === "pnpm" || name === "yarn") {
      if (lock && name !== lock.pm)
        notes.push(`package.json names ${name} but the lockfile is ${lock.lockfile}: using ${lock.pm}`);
      pmVersion = version?.split("+")[0];
    }
  }
  return pmVersion;
}

/** The TypeScript build: tsconfig.json's outDir and rootDir, and the build script. */
async function detectBuild(
  files: ProjectFiles,
  m: Manifest,
  deps: Record<string, string>,
  notes: string[],
): Promise<{ build: NodeProject["build"]; tsOut: TsOut | undefined }> {
  let build: NodeProject["build"];
  let tsOut: TsOut | undefined;
  if (files.has("tsconfig.json") || "typescript" in deps) {
    let outDir = "dist";
    let rootDir: string | undefined;
    const tsText = await files.read("tsconfig.json");
    if (tsText) {
      try {
        const ts = parseJsonc(tsText);
        const co = isTable(ts) && isTable(ts.compilerOptions) ? ts.compilerOptions : {};
        if (typeof co.outDir === "string") outDir = co.outDir.replace(/^\.\//, "").replace(/\/$/, "");
        if (typeof co.rootDir === "string") rootDir = co.rootDir.replace(/^\.\//, "").replace(/\/$/, "");
      } catch (e) {
        throw new InputError(`tsconfig.json does not parse: ${(e as Error).message}`, {
          location: { file: "tsconfig.json", line: 1, column: 1 },
        });
      }
    }
    tsOut = rootDir === undefined ? { outDir } : { rootDir, outDir };
    if (m.scripts.build)
      build = { script: "build", outDir, source: `scripts.build "${m.scripts.build}" in package.json` };
    else if ("typescript" in deps)
      notes.push("TypeScript is a dependency but package.json has no build script: no compile step");
  } else if (m.scripts.build) {
    build = { script: "build", outDir: "dist", source: `scripts.build "${m.scripts.build}" in package.json` };
  }
  return { build, tsOut };
}

/** Next.js builds into .next, never dist/ (a `find dist` there fails the build). */
function nextBuild(next: NextApp, m: Manifest, notes: string[]): NonNullable<NodeProject["build"]> {
  if (!m.scripts.build)
    throw new InputError(
      next.output === "standalone"
        ? `${next.config} sets output: "standalone" but package.json has no build script`
        : "next is a dependency but package.json has no build script: next start needs the output of next build",
      {
        location: { file: "package.json", line: 1, column: 1 },
        hint: 'add "build": "next build" to scripts',
      },
    );
  if (next.output === "server")
    notes.push(
      'Next.js without output: "standalone": the runtime holds .next, the production node_modules (all of next) and runs `next start`; set output: "standalone" in next.config for a runtime with only the traced server',
    );
  return {
    script: "build",
    outDir: ".next",
    source:
      next.output === "standalone"
        ? `scripts.build "${m.scripts.build}" in package.json (Next.js standalone output, ${next.config})`
        : `scripts.build "${m.scripts.build}" in package.json (Next.js, served by next start)`,
  };
}

/** The old Dockerfile's command, resolved through the package.json script it runs. */
function existingEntry(
  existing: NonNullable<DetectOptions["existing"]>["entry"],
  m: Manifest,
  tsOut: TsOut | undefined,
  startPort: number | undefined,
): EntryPoint | undefined {
  if (!existing) return undefined;
  // No npm and no shell as the app's parent: `sh -c "npm run X"` is resolved to the command script X runs.
  const argv = unwrapShell(existing.argv);
  let script = scriptOf(argv);
  let via = "";
  // `npm run dev` under a watcher is the development command: the start script, when there
  // is one, is what production runs (else node runs the watched file, below).
  if (
    script &&
    isWatcherScript(m.scripts[script] ?? "") &&
    m.scripts.start &&
    !isWatcherScript(m.scripts.start)
  ) {
    via = ` (scripts.${script} "${m.scripts[script]}" is a development watcher)`;
    script = "start";
  }
  const body = script ? m.scripts[script] : undefined;
  const resolved = body ? nodeArgvFromScript(body, tsOut, startPort) : undefined;
  return resolved
    ? { argv: resolved, source: `${existing.source}${via} -> scripts.${script} "${body}"` }
    : argv[0] === "node"
      ? { argv, source: `${existing.source} (without the shell)` }
      : existing;
}

/** Where detectEntry looks, besides the manifest. */
interface EntryContext {
  files: ProjectFiles;
  m: Manifest;
  opts: DetectOptions;
  tsOut: TsOut | undefined;
  next: NextApp | undefined;
  nextPort: number | undefined;
  startPort: number | undefined;
}

/** The entry point: --entry, the old CMD, scripts.start, Next.js's server, main, bin, a conventional file. */
function detectEntry({ files, m, opts, tsOut, next, nextPort, startPort }: EntryContext): EntryPoint {
  let entry: EntryPoint | undefined;
  if (opts.entry && opts.entry.length > 0) entry = { argv: opts.entry, source: "--entry" };
  else entry = existingEntry(opts.existing?.entry, m, tsOut, startPort);
  const explicit = opts.entry !== undefined && opts.entry.length > 0;
  // A standalone build's server.js is the process, whatever the old CMD ran (npm start needs npm and next).
  if (next?.output === "standalone" && !explicit) entry = nextEntry(next, entry, nextPort ?? 3000);
  if (!entry && m.scripts.start) {
    const resolved = nodeArgvFromScript(m.scripts.start, tsOut, startPort);
    if (resolved) entry = { argv: resolved, source: `scripts.start "${m.scripts.start}" in package.json` };
  }
  // Without standalone output: the resolved `next start`, else next's bin itself.
  if (next?.output === "server" && !explicit) entry = nextEntry(next, entry, nextPort ?? 3000);
  if (!entry && m.main) {
    const main =
      /\.(c|m)?tsx?$/.test(m.main) && tsOut ? compiledPath(m.main, tsOut.rootDir, tsOut.outDir) : m.main;
    entry = { argv: ["node", main], source: `main "${m.main}" in package.json` };
  }
  return entry ?? fallbackEntry(files, m);
}

/** Without a script or main: the one bin, else the one conventional file in the project root. */
function fallbackEntry(files: ProjectFiles, m: Manifest): EntryPoint {
  const bins = Object.entries(m.bin);
  if (bins.length === 1)
    return { argv: ["node", (bins[0] as [string, string])[1]], source: `bin in package.json` };
  if (bins.length > 1) {
    throw new InputError(
      `the entry point is ambiguous: package.json has ${bins.length} bin entries (${bins.map(([k]) => k).join(", ")})`,
      {
        hint: `pass the command, for example --entry 'node ${(bins[0] as [string, string])[1]}'`,
      },
    );
  }
  const found = ["server.js", "index.js", "app.js", "main.js"].filter((f) => files.has(f));
  if (found.length === 1)
    return { argv: ["node", found[0] as string], source: `${found[0]} in the project root` };
  if (found.length > 1) {
    throw new InputError(`the entry point is ambiguous: ${found.join(", ")} could each start the app`, {
      hint: `pass the command, for example --entry 'node ${found[0]}'`,
    });
  }
  throw new InputError(
    "no entry point found: no start script that runs node, no main, no bin in package.json",
    {
      hint: "pass the command that starts the app, for example --entry 'node dist/server.js'",
    },
  );
}

/** The project's JavaScript and TypeScript sources, without its tests. */
function sourceFiles(files: ProjectFiles): string[] {
  return files.list.filter(
    (f) => /\.(c|m)?[jt]sx?$/.test(f) && !/(^|\/)(tests?|__tests__)\/|\.test\.|\.spec\./.test(f),
  );
}

/** Port: explicit, existing EXPOSE, else a listen(...) / PORT default in the entry's sources. */
async function detectPort(
  files: ProjectFiles,
  opts: DetectOptions,
  nextPort: number | undefined,
): Promise<number | undefined> {
  const port = opts.port ?? opts.existing?.ports[0] ?? nextPort;
  if (port !== undefined) return port;
  for (const f of sourceFiles(files).slice(0, 100)) {
    const text = (await files.read(f)) ?? "";
    const mm = /PORT\D{0,40}?(?:\|\||\?\?|,)\s*["']?(\d{2,5})|\.listen\(\s*(\d{2,5})/.exec(text);
    if (mm) return Number(mm[1] ?? mm[2]);
  }
  return undefined;
}

/** The test script, unless it is npm init's placeholder. */
function detectTests(m: Manifest, pm: NodePackageManager): TestPlan | undefined {
  const testScript = m.scripts.test;
  if (!testScript || /no test specified/.test(testScript)) return undefined;
  return {
    argv: [pm, pm === "yarn" ? "test" : "test"],
    requirementFiles: [],
    packages: [],
    source: `scripts.test "${testScript}" in package.json`,
  };
}

/** Top-level names that are not the app: tests, docs, tooling configuration, the container files. */
const NOT_APP = new Set([
  "node_modules",
  "test",
  "tests",
  "__tests__",
  "docs",
  "original",
  "coverage",
  "tsconfig.json",
  "README.md",
  "lab.yaml",
  "Dockerfile",
  ".dockerignore",
  ".gitignore",
  "docker-compose.yml",
  "docker-compose.prod.yml",
  "compose.yml",
  "compose.yaml",
  "jest.config.js",
  "vitest.config.ts",
  ".eslintrc.json",
  "biome.json",
]);

/** What the runtime needs of the project: Next.js's output (and a custom server), the build's output, else the top-level files. */
function nodeAppPaths(
  files: ProjectFiles,
  next: NextApp | undefined,
  entry: EntryPoint,
  build: NodeProject["build"],
  lock: LockInfo | undefined,
): string[] {
  const customServer =
    next?.output === "server" && entry.argv[0] === "node" && !entry.argv[1]?.startsWith("node_modules/")
      ? entry.argv[1]?.split("/")[0]
      : undefined;
  return next
    ? [
        ...nextAppPaths(next),
        ...(customServer && files.list.some((f) => f === customServer || f.startsWith(`${customServer}/`))
          ? [customServer]
          : []),
      ]
    : build
      ? [build.outDir, "package.json"]
      : topLevel(files).filter(
          (n) =>
            !NOT_APP.has(n) &&
            !n.startsWith("Dockerfile") &&
            !n.startsWith(".") &&
            !n.endsWith(".md") &&
            n !== lock?.lockfile,
        );
}

export async function detectNode(files: ProjectFiles, opts: DetectOptions = {}): Promise<NodeProject> {
  const m = await readManifest(files);
  const lock = await detectLock(files, m);
  const notes: string[] = [];
  await engineNotes(files, lock, notes);
  const pm: NodePackageManager = lock?.pm ?? "npm";
  const pmVersion = packageManagerVersion(m, lock, notes);

  const deps = { ...m.dependencies, ...m.devDependencies };
  const detected = await detectBuild(files, m, deps, notes);
  const { tsOut } = detected;
  let { build } = detected;
  const next = await detectNext(files, deps);
  if (next) build = nextBuild(next, m, notes);
  // Next.js listens on 3000 unless PORT or `next start -p` says otherwise.
  const nextPort = next
    ? (opts.port ?? opts.existing?.ports[0] ?? nextStartPort(m.scripts.start) ?? 3000)
    : undefined;
  // `next start` is resolved only where it is the server; a standalone build runs server.js.
  const startPort = next?.output === "server" ? nextPort : undefined;

  const entry = detectEntry({ files, m, opts, tsOut, next, nextPort, startPort });
  if (entry.argv[0] === "npm" || entry.argv[0] === "yarn" || entry.argv[0] === "pnpm") {
    notes.push(
      `the app starts through ${entry.argv[0]}, which does not forward signals well: prefer a start script that runs node directly`,
    );
  }
  const port = await detectPort(files, opts, nextPort);
  const tests = detectTests(m, pm);
  const native = nodeNativeNeeds(Object.keys(m.dependencies), lock?.installScripts ?? []);
  const appPaths = nodeAppPaths(files, next, entry, build, lock);
  // The project's own health check runs a file of its own (`node healthcheck.js`): it ships too.
  const checkScript = opts.existing ? finalHealthcheck(opts.existing)?.argv : undefined;
  const script = checkScript?.[0] === "node" ? checkScript[1]?.replace(/^\.\//, "") : undefined;
  const top = script?.split("/")[0];
  if (script && top && !script.startsWith("/") && files.list.includes(script) && !appPaths.includes(top))
    appPaths.push(top);

  const project: NodeProject = {
    kind: "node",
    dir: files.dir,
    nodeVersion: opts.nodeVersion ?? "22",
    packageManager: pm,
    lockfile: lock?.lockfile ?? "",
    yarnBerry: lock?.yarnBerry ?? false,
    entry,
    native,
    appPaths,
    hasProductionDeps: Object.keys(m.dependencies).length > 0,
    notes,
  };
  if (pmVersion) project.packageManagerVersion = pmVersion;
  if (build) project.build = build;
  if (next) project.next = next;
  if (port !== undefined) project.port = port;
  const health = await findHealthRoute(files, sourceFiles(files));
  if (health) project.healthPath = health;
  if (tests) project.tests = tests;
  return project;
}
