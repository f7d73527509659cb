/** What the verify and minify benchmarks share: the Flask fixture image, the rounds flag, the median. */
import { fileURLToPath } from "node:url";
import { startPackageIndex } from "../../src/bases/package-index.js";
import { buildImage } from "../../src/engine/build/build.js";

const FLASK_DIR = fileURLToPath(new URL("../../src/verify/testdata/flask-counter", import.meta.url));

/** Builds the Flask hello + Redis counter fixture (pip from the offline index) as `tag`. */
export async function buildFlaskImage(tag: string, labels: Record<string, string>): Promise<void> {
  const index = await startPackageIndex();
  try {
    await buildImage({ context: FLASK_DIR, tags: [tag], labels, ...index.reach });
  } finally {
    await index.close();
  }
}

/** `--rounds N` (default 5). */
export function roundsArg(args: readonly string[]): number {
  const i = args.indexOf("--rounds");
  const rounds = i >= 0 ? Number(args[i + 1]) : 5;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds must be a positive integer");
  return rounds;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
