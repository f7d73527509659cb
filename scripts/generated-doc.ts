import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Shared tail of the generators (docs, the WebAssembly module): with `--check` on the command line, exits
 * 1 when `target` differs from `text` (the doc is stale); otherwise writes it.
 */
export function writeOrCheckDoc(target: URL, text: string, command = "npm run docs"): void {
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(target, "utf8");
    } catch {}
    if (current !== text) {
      const root = fileURLToPath(new URL("..", import.meta.url));
      process.stderr.write(`${fileURLToPath(target).slice(root.length)} is stale: run \`${command}\`\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(target, text);
  }
}
