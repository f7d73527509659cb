/** Test helpers: where the shared corpora live, and the seed labs' Dockerfiles. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** ../shared relative to the repo root (CI has it there). */
export const SHARED = resolve(repoRoot, "../shared");
export const BUILDKIT_CORPUS = join(SHARED, "corpora/buildkit-parser");

export function corpusCases(kind: "testfiles" | "testfiles-negative"): string[] {
  const dir = join(BUILDKIT_CORPUS, kind);
  if (!existsSync(dir))
    throw new Error(`BuildKit parser corpus missing at ${dir} (expected ../shared beside the repo)`);
  return readdirSync(dir).sort();
}

/** The ```dockerfile blocks of the seed labs (markdown files). */
export function seedDockerfiles(): { name: string; text: string }[] {
  const dir = join(SHARED, "seeds");
  const out: { name: string; text: string }[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith(".txt")) continue;
    const md = readFileSync(join(dir, f), "utf8");
    const re = /^```dockerfile[^\n]*\n([\s\S]*?)^```/gim;
    let m: RegExpExecArray | null;
    let k = 0;
    for (;;) {
      m = re.exec(md);
      if (!m) break;
      out.push({ name: `${f}#${k++}`, text: m[1] as string });
    }
  }
  return out;
}
