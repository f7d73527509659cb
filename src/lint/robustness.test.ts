/** Bad input never crashes the linter: every file gives findings or one parse finding. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCorpus } from "./corpus/hadolint-corpus.js";
import { lintText } from "./engine.js";
import { TODAY } from "./test-helpers/rule-cases.js";

const buildkit = new URL("../../../shared/corpora/buildkit-parser/", import.meta.url).pathname;

function noCrash(text: string, file = "Dockerfile"): void {
  const r = lintText(text, { file, now: TODAY, env: { dockerignore: null } });
  const crashed = r.findings.filter((f) => f.message.startsWith("rule crashed"));
  expect(
    crashed.map((f) => `${f.ruleId}: ${f.message}`),
    file,
  ).toEqual([]);
  if (r.parseFailed) expect(r.findings).toHaveLength(1);
  for (const f of r.findings) {
    expect(f.range.start.line).toBeGreaterThanOrEqual(1);
    expect(f.range.start.column).toBeGreaterThanOrEqual(1);
  }
}

describe("robustness", () => {
  it("no rule crashes on hadolint's cases", () => {
    for (const row of readCorpus()) noCrash(`${row.dockerfile}\n`, `${row.spec}:${row.line}`);
  });

  it("BuildKit's parser cases lint; its negative cases give exactly one parse finding", () => {
    expect(existsSync(buildkit)).toBe(true);
    for (const d of readdirSync(join(buildkit, "testfiles")))
      noCrash(readFileSync(join(buildkit, "testfiles", d, "Dockerfile"), "utf8"), d);
    for (const d of readdirSync(join(buildkit, "testfiles-negative"))) {
      const r = lintText(readFileSync(join(buildkit, "testfiles-negative", d, "Dockerfile"), "utf8"), {
        file: d,
      });
      expect(r.parseFailed, d).toBe(true);
      expect(r.findings.map((f) => f.ruleId)).toEqual(["SS000"]);
    }
  });

  it("arbitrary text never crashes", () => {
    const line = fc.oneof(
      fc.string(),
      fc.constantFrom(
        "FROM a AS b",
        "FROM b",
        "RUN apt-get install x | sh",
        "COPY --from=b / /",
        "USER root",
        "ENV A",
        "ONBUILD RUN pip install x",
        "RUN <<EOF",
        "EOF",
        "\\",
        "WORKDIR x",
        "EXPOSE 99999",
        "ARG X=1",
        "COPY a b c",
      ),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        noCrash(`${lines.join("\n")}\n`);
      }),
      { numRuns: 300 },
    );
  });
});
