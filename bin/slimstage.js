#!/usr/bin/env node
// Runs the compiled CLI (npm run build). From a source checkout without dist/,
// run `npm run build` first, or use `npx tsx src/cli/main.ts`.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  // The one answer that needs nothing else: not even the CLI's own modules (scripts call it often).
  const { VERSION } = await import("../dist/version.js");
  process.stdout.write(`${VERSION}\n`);
} else {
  process.env.SLIMSTAGE_MAIN = "1";
  await import("../dist/cli/main.js");
}
