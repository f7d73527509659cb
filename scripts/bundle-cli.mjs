#!/usr/bin/env node
// Bundles what the commands in BUNDLED run into one module, dist/cli-bundle.js,
// which bin/slimstage.js loads for them (every other command runs from the tsc
// output, dist/cli/main.js). Runs after tsc, from `npm run build`.
//
// Why: issue #20 asks `slimstage lint FILE` for <= 0.3 CPU-s and `inspect`
// for <= 1.5x `tar -tvf` as whole processes. From dist/, lint loads 139
// modules over 393 import edges (the 68 rules are one module each), and Node
// 20's ESM loader pays for each module and each edge (URL resolution, package
// scope lookup, an async file read, one compile and link): 0.38 against 0.28
// CPU-s bundled, median of 15 alternating runs at load average 4 (node -e 0:
// 0.12; npm run bench -- cli measures the shipped form). inspect of the Python
// base: 0.50 against 0.40 CPU-s (5 alternating runs, load average 2; npm run
// bench -- inspect prints the shipped form's whole-process figure). Node 20
// has no compile cache (module.enableCompileCache is 22.1+), so one module
// is the remedy. commander, supports-color, picocolors and
// @balena/dockerignore, which lint loads on every run, are bundled too (each
// is several CommonJS files): 0.24 against 0.28 with them left outside.
//
// One module, not one chunk per command (esbuild's splitting): split, inspect
// loaded 26 chunks and took 0.39-0.40 s against 0.37-0.39 s whole (lint 0.19
// against 0.20), 11 alternating runs on 2026-12-06: compiling the one 810 KB
// module (36 ms) costs about what loading the chunks does.
//
// Only these commands: code that finds its files through import.meta.url
// (wheelhouse.txt, scripts/setup-engine.sh, the package root) needs its own
// place in dist/. The bundled code reads one such path, package.json beside
// dist/version.js, and this bundle sits at the same depth (dist/*.js), so
// "../package.json" still reaches the package root; the check below refuses
// any other. createRequire(import.meta.url) resolves packages from dist/ as
// from dist/*/: one node_modules.
//
// The other commands' modules stay outside (imported from dist/cli/commands/
// if ever loaded); yaml, ajv, diff and node:crypto load lazily through
// createRequire, as in dist/, and stay outside.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const out = join(dist, "cli-bundle.js");

/** The commands run from the bundle; bin/slimstage.js reads the same list from dist/cli-bundle.json. */
const BUNDLED = ["lint", "inspect"];

await build({
  entryPoints: [join(dist, "cli", "main.js")],
  outfile: out,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["yaml", "ajv", "diff"],
  // The bundled CommonJS packages call require(); an ES module has none.
  banner: {
    js: 'import { createRequire as __slimstageCreateRequire } from "node:module";\nconst require = __slimstageCreateRequire(import.meta.url);',
  },
  logLevel: "warning",
  plugins: [
    {
      name: "only-bundled",
      setup(b) {
        // The command registry imports every command lazily: all but BUNDLED stay in dist/.
        b.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, (args) => {
          if (
            !args.importer.endsWith(join("cli", "commands", "index.js")) ||
            BUNDLED.includes(args.path.slice(2, -3))
          )
            return undefined;
          const target = relative(dist, resolve(dirname(args.importer), args.path));
          return { path: `./${target}`, external: true };
        });
      },
    },
  ],
});

const text = readFileSync(out, "utf8");
const urls = [...text.matchAll(/new URL\(([^)]*)import\.meta\.url\)/g)].map((m) => m[1]?.trim());
const unexpected = urls.filter((u) => u !== '"../package.json",');
if (unexpected.length) {
  process.stderr.write(
    `bundle-cli: dist/cli-bundle.js reads files relative to itself (${unexpected.join(" ")}): such code must not be bundled (see the comment at the top)\n`,
  );
  process.exit(1);
}
writeFileSync(join(dist, "cli-bundle.json"), `${JSON.stringify({ commands: BUNDLED })}\n`);
