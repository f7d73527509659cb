/**
 * `npm run bench -- lint [seconds]`: Dockerfiles linted per second over the
 * corpora (hadolint's cases, BuildKit's parser cases) and the seed labs, on
 * one core, shell parsing included. Baseline in the same run: parsing alone
 * (with the shell parser), so the ratio shows what the rules cost on top.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDockerfile } from "../src/dockerfile/parser.js";
import { lintText } from "../src/lint/engine.js";
import { RULES } from "../src/lint/rules/index.js";

const root = new URL("..", import.meta.url).pathname;
const shared = join(root, "..", "shared", "corpora");

function corpus(): string[] {
  const files: string[] = [];
  const hadolint = join(shared, "hadolint");
  for (const f of ["hadolint-cases.jsonl", "hadolint-cases-extra.jsonl"]) {
    const p = join(hadolint, f);
    if (!existsSync(p)) continue;
    for (const line of readFileSync(p, "utf8").split("\n"))
      if (line.trim()) files.push(`${(JSON.parse(line) as { dockerfile: string }).dockerfile}\n`);
  }
  const bk = join(shared, "buildkit-parser", "testfiles");
  if (existsSync(bk))
    for (const d of readdirSync(bk)) {
      const p = join(bk, d, "Dockerfile");
      if (existsSync(p)) files.push(readFileSync(p, "utf8"));
    }
  const seeds = join(root, "src", "lint", "testdata", "seeds");
  for (const f of readdirSync(seeds))
    if (f.endsWith(".Dockerfile")) files.push(readFileSync(join(seeds, f), "utf8"));
  return files;
}

function measure(
  files: readonly string[],
  seconds: number,
  fn: (text: string) => void,
): { perSecond: number; runs: number } {
  for (const f of files) fn(f); // warm-up
  let n = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() - start < limit) {
    for (const f of files) fn(f);
    n += files.length;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  return { perSecond: n / elapsed, runs: n };
}

export default async function bench(args: string[]): Promise<void> {
  const seconds = Number(args[0] ?? 3);
  const files = corpus();
  const now = new Date("2026-11-22T12:00:00Z");
  const parse = measure(files, seconds, (t) => {
    try {
      parseDockerfile(t, { shell: true });
    } catch {}
  });
  const lint = measure(files, seconds, (t) => {
    lintText(t, { now, env: { dockerignore: null } });
  });
  const findings = files.reduce((n, t) => n + lintText(t, { now }).findings.length, 0);
  process.stdout.write(
    `files: ${files.length} (hadolint cases, BuildKit parser cases, seed labs), rules: ${RULES.length}\n` +
      `parse only (shell included): ${parse.perSecond.toFixed(0)} Dockerfiles/s\n` +
      `lint (parse + stage graph + all rules): ${lint.perSecond.toFixed(0)} Dockerfiles/s\n` +
      `lint / parse time ratio: ${(parse.perSecond / lint.perSecond).toFixed(2)}x\n`,
  );
  process.stdout.write(
    `${JSON.stringify({
      bench: "lint",
      files: files.length,
      rules: RULES.length,
      findings,
      lintPerSecond: Math.round(lint.perSecond),
      parsePerSecond: Math.round(parse.perSecond),
      ratio: Number((parse.perSecond / lint.perSecond).toFixed(2)),
      target: 1000,
      meetsTarget: lint.perSecond >= 1000,
    })}\n`,
  );
}
