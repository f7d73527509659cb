import { readFileSync } from "node:fs";

// Read once from package.json so that `--version` and the reports cannot drift.
const pkgUrl = new URL("../package.json", import.meta.url);
export const VERSION: string = (JSON.parse(readFileSync(pkgUrl, "utf8")) as { version: string }).version;
