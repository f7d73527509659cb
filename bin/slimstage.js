#!/usr/bin/env node
// Runs the compiled CLI (npm run build). From a source checkout without dist/,
// run `npm run build` first, or use `npx tsx src/cli/main.ts`.
process.env.SLIMSTAGE_MAIN = "1";
await import("../dist/cli/main.js");
