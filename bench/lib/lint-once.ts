/**
 * Worker for the lint bench's fresh-process linearity figure: lints one file
 * in a process of its own, without the heap the bench's other passes leave
 * behind. The code is warmed up first on the warm-up file (the same for
 * every worker, so both sizes run equally optimized code), then the median
 * CPU milliseconds of five passes over FILE are printed.
 * Run as `node --import tsx bench/lib/lint-once.ts FILE WARMUP_FILE`.
 */
import { readFileSync } from "node:fs";
import { lintText } from "../../src/lint/engine.js";

const text = readFileSync(process.argv[2] ?? "", "utf8");
const warm = readFileSync(process.argv[3] ?? "", "utf8");
const now = new Date("2026-11-22T12:00:00Z");
const once = (): number => cpuMs(text);
const cpuMs = (text: string): number => {
  const c0 = process.cpuUsage();
  const r = lintText(text, { now, env: { dockerignore: null } });
  const c = process.cpuUsage(c0);
  if (r.parseFailed) throw new Error(`bench file did not parse: ${r.findings[0]?.message}`);
  return (c.user + c.system) / 1000;
};
for (let i = 0; i < 40; i++) cpuMs(warm);
const ms = Array.from({ length: 5 }, once).sort((a, b) => a - b);
process.stdout.write(`${ms[2]}\n`);
