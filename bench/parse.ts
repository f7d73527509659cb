/**
 * `npm run bench -- parse`: Dockerfiles parsed per second on one core.
 * Inputs: BuildKit's parser corpus and the seed labs' Dockerfiles (the
 * "typical" set), plus 100 generated files of 1,000 instructions each.
 * Measures parse alone (RUN scripts parsed lazily, as a round trip uses it)
 * and parse with every RUN script through the shell parser (as the linter
 * uses it). Baseline in the same run: splitting the same texts into lines.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDockerfile } from "../src/dockerfile/parser.js";
import { BUILDKIT_CORPUS, seedDockerfiles } from "../src/dockerfile/test-corpus.js";

function typical(): string[] {
  const out: string[] = [];
  for (const c of readdirSync(join(BUILDKIT_CORPUS, "testfiles"))) {
    out.push(readFileSync(join(BUILDKIT_CORPUS, "testfiles", c, "Dockerfile"), "utf8"));
  }
  for (const s of seedDockerfiles()) out.push(s.text);
  return out;
}

function generated(n: number, instructions: number): string[] {
  const lines = [
    "RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*",
    "COPY --chown=app:app src/ /app/src/",
    "ENV PATH=/app/bin:$PATH LANG=C.UTF-8",
    "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt",
    "WORKDIR /app",
    'LABEL org.opencontainers.image.title="bench"',
    "ARG VERSION=1.0",
    "RUN set -eux; \\\n    make -j2 \\\n    # a comment\n    && make install",
    "EXPOSE 8000/tcp",
    'CMD ["python", "-m", "app"]',
  ];
  const files: string[] = [];
  for (let f = 0; f < n; f++) {
    const out: string[] = [];
    for (let i = 0; i < instructions; i++) {
      if (i % 100 === 0) out.push(`FROM python:3.11-slim AS s${i / 100}`);
      else out.push(lines[(i + f) % lines.length] as string);
    }
    files.push(`${out.join("\n")}\n`);
  }
  return files;
}

/** CPU milliseconds of this process: "per second on one core" stays meaningful on a shared, busy machine. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function rate(
  files: readonly string[],
  fn: (t: string) => void,
  minMs = 1500,
): { perSec: number; runs: number } {
  for (const t of files) fn(t); // warm-up
  let runs = 0;
  const t0 = cpuMs();
  let el = 0;
  do {
    for (const t of files) fn(t);
    runs += files.length;
    el = cpuMs() - t0;
  } while (el < minMs);
  return { perSec: Math.round((runs / el) * 1000), runs };
}

export default async function main(): Promise<void> {
  const typ = typical();
  const big = generated(100, 1000);
  const baseline = rate(typ, (t) => void t.split("\n"));
  const lazy = rate(typ, (t) => void parseDockerfile(t, { strict: false }));
  const eager = rate(typ, (t) => void parseDockerfile(t, { strict: false, shell: true }));
  const bigLazy = rate(big, (t) => void parseDockerfile(t), 3000);
  const bigEager = rate(big, (t) => void parseDockerfile(t, { shell: true }), 3000);
  const avgLines = Math.round(typ.reduce((a, t) => a + t.split("\n").length, 0) / typ.length);
  process.stdout.write(`typical Dockerfiles (${typ.length} files, ${avgLines} lines avg):\n`);
  process.stdout.write(`  parse                      ${lazy.perSec} files/s\n`);
  process.stdout.write(`  parse + all RUN scripts    ${eager.perSec} files/s (mvdan-sh)\n`);
  process.stdout.write(`  baseline: split lines      ${baseline.perSec} files/s\n`);
  process.stdout.write(`generated (100 files x 1,000 instructions):\n`);
  process.stdout.write(
    `  parse                      ${bigLazy.perSec} files/s (${bigLazy.perSec * 1000} instructions/s)\n`,
  );
  process.stdout.write(`  parse + all RUN scripts    ${bigEager.perSec} files/s\n`);
  process.stdout.write(
    `${JSON.stringify({
      bench: "parse",
      typicalFiles: typ.length,
      typicalPerSec: lazy.perSec,
      typicalWithShellPerSec: eager.perSec,
      baselineSplitLinesPerSec: baseline.perSec,
      generatedPerSec: bigLazy.perSec,
      generatedWithShellPerSec: bigEager.perSec,
      target: 5000,
      meetsTarget: lazy.perSec >= 5000,
    })}\n`,
  );
}
