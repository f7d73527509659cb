import { createServer } from "node:http";
import ms from "ms";

export function greeting(): string {
  return `Hello from pnpm and TypeScript, a minute is ${ms(60_000)}`;
}

if (process.argv[1]?.endsWith("server.js")) {
  createServer((_req, res) => res.end(greeting())).listen(8080);
}
