// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile syntax, not templates
/**
 * Fuzz: mutated Dockerfiles through parse, expansion and the stage graph,
 * and through the whole linter. Invariants: only typed input errors, every
 * finding placed in the file, and bounded work (each case within the
 * per-test timeout; the expansion and nesting caps keep it there).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzRuns, fuzzTimeout, mutated, onlyInputErrors } from "../../test/fuzz.js";
import { lintText } from "../lint/engine.js";
import { expand } from "./expand.js";
import { parseDockerfile } from "./parser.js";
import { buildStageGraph } from "./stage-graph.js";

const okDir = new URL("./testdata/ok/", import.meta.url).pathname;
const SEEDS = [
  ...readdirSync(okDir).map((d) => readFileSync(join(okDir, d, "Dockerfile"), "utf8")),
  "FROM debian:bookworm-slim\nENV A=ab\nENV A=$A$A\nRUN echo $A\n",
  "ARG V=1\nFROM python:3.11-slim AS b\nARG V\nRUN pip install x==$V\nFROM b\nCOPY --from=b /a /b\n",
];
const SNIPPETS = [
  "${A:-",
  "${A:-${B:-x}}",
  "}",
  "$A$A$A$A",
  "ENV A=$A$A$A$A\n",
  "\nFROM a AS a\n",
  "\nCOPY --from=0 / /\n",
  "<<EOF\n",
  "\nEOF\n",
  '["a", "b"',
  "# escape=`\n",
  "${A//a/aaaa}",
  " && ",
  "'",
  '"',
];

describe("fuzz: Dockerfile frontend", () => {
  it(
    "parse, expand and the stage graph throw only typed input errors",
    () => {
      fc.assert(
        fc.property(mutated(SEEDS, SNIPPETS), (text) => {
          onlyInputErrors(
            () => {
              const df = parseDockerfile(text, { file: "Dockerfile" });
              expand(df);
              if (df.stages.length > 0) buildStageGraph(df);
            },
            JSON.stringify(text.slice(0, 300)),
          );
        }),
        fuzzRuns(300),
      );
    },
    fuzzTimeout(300, 200),
  );

  it(
    "the linter never crashes: findings or exactly one parse finding, all inside the file",
    () => {
      fc.assert(
        fc.property(mutated(SEEDS, SNIPPETS), (text) => {
          const r = lintText(text, { file: "Dockerfile", env: { dockerignore: null } });
          expect(r.findings.filter((f) => f.message.startsWith("rule crashed"))).toEqual([]);
          if (r.parseFailed) expect(r.findings).toHaveLength(1);
          const lines = text.split("\n").length + 1;
          for (const f of r.findings) {
            expect(f.range.start.line).toBeGreaterThanOrEqual(1);
            expect(f.range.start.line).toBeLessThanOrEqual(lines);
          }
        }),
        fuzzRuns(150),
      );
    },
    fuzzTimeout(150, 400),
  );

  it(
    "deep nesting and doubling, at any size, are typed errors",
    () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 5000 }),
          fc.integer({ min: 0, max: 60 }),
          (depth, doublings) => {
            const nested = `${"${A:-".repeat(depth)}x${"}".repeat(depth)}`;
            const text = `FROM scratch\nENV A=ab\n${"ENV A=$A$A\n".repeat(doublings)}ENV B=${nested}\n`;
            onlyInputErrors(
              () => buildStageGraph(parseDockerfile(text)),
              `depth ${depth}, doublings ${doublings}`,
            );
          },
        ),
        fuzzRuns(40),
      );
    },
    fuzzTimeout(40, 3000),
  );
});
