#!/usr/bin/env node
// Runs the compiled CLI (npm run build). From a source checkout without dist/,
// run `npm run build` first, or use `npx tsx src/cli/main.ts`.
import { readFileSync, statSync } from "node:fs";

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  // The one answer that needs nothing else: not even the CLI's own modules (scripts call it often).
  const { VERSION } = await import("../dist/version.js");
  process.stdout.write(`${VERSION}\n`);
} else {
  process.env.SLIMSTAGE_MAIN = "1";
  // `lint` and `inspect` run from one bundled module (scripts/bundle-cli.mjs
  // says why and writes the list to dist/cli-bundle.json), the same code as
  // dist/cli/main.js; the command is the first word that is not an option, as
  // in src/cli/program.ts (commandsFor). A bundle older than dist/cli/main.js
  // (tsc run alone since) is stale: the tsc output runs then.
  const main = new URL("../dist/cli/main.js", import.meta.url);
  const bundle = new URL("../dist/cli-bundle.js", import.meta.url);
  const mtime = (u) => statSync(u, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  const bundled = () => {
    try {
      return JSON.parse(readFileSync(new URL("../dist/cli-bundle.json", import.meta.url), "utf8")).commands;
    } catch {
      return [];
    }
  };
  const command = args.find((a) => !a.startsWith("-"));
  const useBundle = command !== undefined && mtime(bundle) >= mtime(main) && bundled().includes(command);
  await import(useBundle ? bundle.href : main.href);
}
