/**
 * `npm run bench -- NAME [args]` runs bench/NAME.ts. Each benchmark measures
 * slimstage side by side with a baseline in the same run and prints one JSON
 * object as its last line.
 */
import { readdirSync } from "node:fs";

const [name, ...rest] = process.argv.slice(2);
const available = readdirSync(new URL(".", import.meta.url))
  .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.endsWith(".test.ts"))
  .map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${available.join("|")}> [args]\n`);
  process.exit(2);
}
const mod = (await import(`./${name}.ts`)) as { default: (args: string[]) => Promise<void> };
await mod.default(rest);
