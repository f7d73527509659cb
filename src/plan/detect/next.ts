/**
 * Next.js (#15 item 2). `output: "standalone"` in the config makes `next
 * build` trace the server's own files into .next/standalone (a server.js and
 * only the node_modules files it loads); the browser assets (.next/static)
 * and public/ are left for the image to copy beside it. The runtime then
 * runs `node server.js` from that folder: no npm, no `next start`, and not
 * the project's whole node_modules. Without it, a plain `next build` is
 * served by `next start`, which needs .next, public/, package.json, the
 * config and the production node_modules; the runtime runs next's own bin
 * with node (no npm or shell as the parent).
 */
import type { EntryPoint, NextApp } from "../project.js";
import type { ProjectFiles } from "./files.js";

/** The config file names Next.js reads, in its own order. */
const CONFIG_FILES = [
  "next.config.js",
  "next.config.mjs",
  "next.config.cjs",
  "next.config.ts",
  "next.config.mts",
];

/** Comments out of a config's text, so that a commented-out `output: "standalone"` does not count. */
function withoutComments(text: string): string {
  // `//` only at a line start or after whitespace: URLs in strings ("https://...") stay.
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|\s)\/\/.*$/gm, "$1");
}

/** The Next.js app, when `next` is a dependency: standalone when its config asks for `output: "standalone"`. */
export async function detectNext(
  files: ProjectFiles,
  dependencies: Record<string, string>,
): Promise<NextApp | undefined> {
  if (!("next" in dependencies)) return undefined;
  const publicDir = files.list.some((f) => f.startsWith("public/"));
  for (const config of CONFIG_FILES) {
    const text = await files.read(config);
    if (text === undefined) continue;
    const standalone = /\boutput\s*:\s*["'`]standalone["'`]/.test(withoutComments(text));
    return { config, output: standalone ? "standalone" : "server", publicDir };
  }
  return { output: "server", publicDir };
}

/**
 * What the runtime copies from the build: the standalone layout server.js
 * expects (`./`, `./.next/static`, `./public`), or what `next start` reads
 * (.next without its cache, public/, package.json, the config).
 */
export function nextAppPaths(next: NextApp): string[] {
  const pub = next.publicDir ? ["public"] : [];
  if (next.output === "standalone") return [".next/standalone", ".next/static", ...pub];
  return [".next", ...pub, "package.json", ...(next.config ? [next.config] : [])];
}

/** next's own command-line entry, run by node itself: npm or a shell as the parent would not forward SIGTERM. */
export const NEXT_BIN = "node_modules/next/dist/bin/next";

/** `next start [-p N] [args]` as node running next's bin, listening on `port`. */
export function nextStartArgv(args: readonly string[], port: number): string[] {
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "-p" || a === "--port") i++;
    else if (!/^--port=/.test(a)) rest.push(a);
  }
  return ["node", NEXT_BIN, "start", ...rest, "-p", String(port)];
}

/** The port of a `next start` command line (`-p 4000`, `--port=4000`), if it names one. */
export function nextStartPort(script: string | undefined): number | undefined {
  const m = /\bnext\s+start\b.*?(?:-p|--port)[ =](\d+)/.exec(script ?? "");
  return m ? Number(m[1]) : undefined;
}

/**
 * The process the runtime runs. Standalone: server.js, whatever the old command was (`npm start`
 * would need npm and all of next). A `next start` build: the resolved `next start` (or a custom
 * server's node command), else next's bin itself.
 */
export function nextEntry(next: NextApp, previous: EntryPoint | undefined, port: number): EntryPoint {
  if (next.output === "server") {
    if (previous && previous.argv[0] === "node") return previous;
    const why = 'Next.js build without output: "standalone": next start, run by node';
    return {
      argv: nextStartArgv([], port),
      source: previous ? `${previous.source} -> ${why}` : why,
    };
  }
  const why = `${next.config} sets output: "standalone": .next/standalone/server.js, run from the app folder`;
  const same = previous?.argv.join(" ") === "node server.js";
  return {
    argv: ["node", "server.js"],
    source: previous && !same ? `${previous.source} -> ${why}` : previous ? previous.source : why,
  };
}
