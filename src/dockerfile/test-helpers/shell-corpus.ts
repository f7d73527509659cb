/** Every RUN script of the corpora the shell parser is held to (tests and `npm run bench -- shell`). */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Instruction } from "../model.js";
import { parseDockerfile } from "../parser.js";
import { BUILDKIT_CORPUS, SHARED, seedDockerfiles } from "../test-corpus.js";

export interface CorpusText {
  corpus: string;
  name: string;
  text: string;
}

/** The Dockerfiles: BuildKit's parser cases, hadolint's rule cases, the seed labs, the examples. */
export function shellCorpusDockerfiles(repoRoot: string): CorpusText[] {
  const out: CorpusText[] = [];
  const bk = join(BUILDKIT_CORPUS, "testfiles");
  if (!existsSync(bk))
    throw new Error(`BuildKit parser corpus missing at ${bk} (expected ../shared beside the repo)`);
  for (const c of readdirSync(bk).sort())
    out.push({ corpus: "buildkit", name: c, text: readFileSync(join(bk, c, "Dockerfile"), "utf8") });
  for (const f of ["hadolint-cases.jsonl", "hadolint-cases-extra.jsonl"]) {
    const lines = readFileSync(join(SHARED, "corpora/hadolint", f), "utf8")
      .split("\n")
      .filter(Boolean);
    lines.forEach((l, k) => {
      const row = JSON.parse(l) as { dockerfile: string; rule: string };
      out.push({ corpus: "hadolint", name: `${f}:${k + 1} ${row.rule}`, text: `${row.dockerfile}\n` });
    });
  }
  for (const s of seedDockerfiles()) out.push({ corpus: "seeds", name: s.name, text: s.text });
  const ex = join(repoRoot, "examples");
  for (const d of readdirSync(ex).sort()) {
    for (const f of readdirSync(join(ex, d))) {
      if (/Dockerfile/.test(f))
        out.push({ corpus: "examples", name: `${d}/${f}`, text: readFileSync(join(ex, d, f), "utf8") });
    }
  }
  return out;
}

/** The scripts handed to the shell parser for every RUN (ONBUILD RUN too) of `text`; none if it does not parse. */
export function runScripts(text: string): string[] {
  let df: ReturnType<typeof parseDockerfile>;
  try {
    df = parseDockerfile(text, { strict: false });
  } catch {
    return [];
  }
  const out: string[] = [];
  const visit = (i: Instruction) => {
    if (i.keyword === "ONBUILD") visit(i.trigger);
    else if (i.keyword === "RUN" && i.shell.script !== "") out.push(i.shell.script);
  };
  for (const i of df.instructions) visit(i);
  return out;
}
