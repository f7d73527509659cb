/**
 * What a Node or Python app's command really runs: `npm run dev` resolved
 * through package.json's scripts, whether that needs a devDependency, and
 * whether it is a development server.
 */
import { basename } from "./facts.js";
import type { PackageManifest } from "./rule.js";

/** Executables whose package name differs from the binary's name. */
const BIN_PACKAGES: Record<string, string[]> = {
  tsc: ["typescript"],
  ng: ["@angular/cli"],
  nest: ["@nestjs/cli"],
  "vue-cli-service": ["@vue/cli-service"],
  "react-scripts": ["react-scripts"],
  "webpack-dev-server": ["webpack-dev-server"],
  "ts-node": ["ts-node"],
  "ts-node-dev": ["ts-node-dev"],
  tsx: ["tsx"],
  nodemon: ["nodemon"],
  vite: ["vite"],
  next: ["next"],
  nuxt: ["nuxt", "nuxi"],
  jest: ["jest"],
  vitest: ["vitest"],
  eslint: ["eslint"],
  babel: ["@babel/cli"],
  rollup: ["rollup"],
  esbuild: ["esbuild"],
  webpack: ["webpack", "webpack-cli"],
  parcel: ["parcel"],
  svelte: ["@sveltejs/kit"],
  "svelte-kit": ["@sveltejs/kit"],
  astro: ["astro"],
  remix: ["@remix-run/dev"],
  gatsby: ["gatsby"],
};

const RUNNERS = new Set(["npm", "yarn", "pnpm", "bun"]);

/**
 * The command line a package-manager invocation ends up running, from the
 * manifest's scripts: `npm start`, `npm run dev`, `yarn dev`, `pnpm build`.
 * Undefined when the words are no script invocation or the script is unknown.
 */
export function resolveScript(words: readonly string[], manifest: PackageManifest): string | undefined {
  const name = resolveScriptName(words);
  if (name === undefined) return undefined;
  return manifest.scripts[name] ?? (name === "start" ? "node server.js" : undefined);
}

/** The script name `npm run X` / `npm start` / `yarn X` / `pnpm X` invokes. */
export function resolveScriptName(words: readonly string[]): string | undefined {
  const [runner, ...rest] = words;
  if (!runner || !RUNNERS.has(basename(runner))) return undefined;
  const args = rest.filter((a) => !a.startsWith("-"));
  const sub = args[0];
  if (sub === undefined) return undefined;
  if (sub === "run" || sub === "run-script") return args[1];
  if (["start", "test", "stop", "restart"].includes(sub)) return sub;
  // yarn, pnpm and bun run any script by its bare name.
  if (basename(runner) !== "npm" && !["install", "add", "ci", "i", "exec", "dlx", "x"].includes(sub))
    return sub;
  return undefined;
}

/** The devDependencies a command line calls (its programs that a devDependency provides). */
export function devDependenciesUsed(command: string, manifest: PackageManifest): string[] {
  const dev = new Set(Object.keys(manifest.devDependencies));
  const out = new Set<string>();
  // Each simple command of the script: the first word after && ; | and env assignments.
  for (const part of command.split(/&&|\|\||;|\|/)) {
    const words = part
      .trim()
      .split(/\s+/)
      .filter((w) => w && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
    let prog = words[0];
    if (prog === "npx" || prog === "pnpx" || (prog === "yarn" && words[1] === "exec"))
      prog = words[prog === "yarn" ? 2 : 1];
    if (!prog) continue;
    prog = basename(prog);
    for (const pkg of [prog, ...(BIN_PACKAGES[prog] ?? [])]) if (dev.has(pkg)) out.add(pkg);
  }
  return [...out];
}

/** Development servers by their command line: reloaders, debug servers, bundler dev servers. */
const DEV_SERVERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/(^|\s|\/)flask\s+(--\S+\s+)*run\b/, "flask run (Werkzeug's development server)"],
  [/(^|\s|\/)python\d*(\.\d+)?\s+-m\s+flask\s+run\b/, "flask run (Werkzeug's development server)"],
  [/(^|\s|\/)(\S*manage\.py)\s+runserver\b/, "manage.py runserver (Django's development server)"],
  [/(^|\s|\/)nodemon\b/, "nodemon (a file watcher that restarts the app)"],
  [/(^|\s|\/)(ts-node-dev|tsx\s+watch)\b/, "a TypeScript watcher"],
  [/(^|\s|\/)next\s+dev\b/, "next dev"],
  [/(^|\s|\/)nuxt\s+dev\b/, "nuxt dev"],
  [/(^|\s|\/)ng\s+serve\b/, "ng serve"],
  [/(^|\s|\/)vue-cli-service\s+serve\b/, "vue-cli-service serve"],
  [/(^|\s|\/)react-scripts\s+start\b/, "react-scripts start"],
  [/(^|\s|\/)(webpack-dev-server|webpack\s+serve)\b/, "webpack's dev server"],
  [/(^|\s|\/)vite(\s+(dev|serve))?(\s+--\S+)*\s*$/, "vite's dev server"],
  [/(^|\s|\/)uvicorn\b.*\s--reload\b/, "uvicorn --reload"],
  [/(^|\s|\/)rails\s+(s|server)\b.*-e\s+development/, "rails server in development"],
];

/**
 * The development server a container command runs, following package.json
 * scripts when the command is `npm run X` / `yarn X`; undefined when it runs
 * none.
 */
export function devServerOf(words: readonly string[], manifest?: PackageManifest | null): string | undefined {
  const line = words.join(" ");
  for (const [re, what] of DEV_SERVERS) if (re.test(line)) return what;
  if (manifest) {
    const script = resolveScript(words, manifest);
    if (script) for (const [re, what] of DEV_SERVERS) if (re.test(script)) return `${what}, via "${script}"`;
  }
  return undefined;
}
