// Preloaded into a CLI subprocess (node --import): prints its peak resident set size on exit.
import { writeSync } from "node:fs";

process.on("exit", () => {
  writeSync(2, `\nslimstage-test-max-rss-kb=${process.resourceUsage().maxRSS}\n`);
});
