/**
 * Next.js standalone output (#15 item 2). `output: "standalone"` in the
 * config makes `next build` trace the server's own files into
 * .next/standalone (a server.js and only the node_modules files it loads);
 * the browser assets (.next/static) and public/ are left for the image to
 * copy beside it. The runtime then runs `node server.js` from that folder:
 * no npm, no `next start`, and not the project's whole node_modules.
 */
import type { EntryPoint, NextStandalone } from "../project.js";
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

/** The standalone build, when `next` is a dependency and its config asks for `output: "standalone"`. */
export async function detectNextStandalone(
  files: ProjectFiles,
  dependencies: Record<string, string>,
): Promise<NextStandalone | undefined> {
  if (!("next" in dependencies)) return undefined;
  for (const config of CONFIG_FILES) {
    const text = await files.read(config);
    if (text === undefined) continue;
    if (!/\boutput\s*:\s*["'`]standalone["'`]/.test(withoutComments(text))) return undefined;
    return { config, publicDir: files.list.some((f) => f.startsWith("public/")) };
  }
  return undefined;
}

/** What the runtime copies from the build, in the layout server.js expects (`./`, `./.next/static`, `./public`). */
export function nextAppPaths(next: NextStandalone): string[] {
  return [".next/standalone", ".next/static", ...(next.publicDir ? ["public"] : [])];
}

/**
 * The standalone server is the process, whatever the old command was: `npm start`
 * (`next start`) would need npm and the whole node_modules, which the runtime does not have.
 */
export function nextEntry(next: NextStandalone, previous: EntryPoint | undefined): EntryPoint {
  const why = `${next.config} sets output: "standalone": .next/standalone/server.js, run from the app folder`;
  const same = previous?.argv.join(" ") === "node server.js";
  return {
    argv: ["node", "server.js"],
    source: previous && !same ? `${previous.source} -> ${why}` : previous ? previous.source : why,
  };
}
