import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParseError } from "../errors.js";
import { dumpBuildkit } from "./buildkit-dump.js";
import { parseDockerfile } from "./parser.js";
import { printDockerfile } from "./printer.js";
import { BUILDKIT_CORPUS, corpusCases, seedDockerfiles } from "./test-corpus.js";

describe("BuildKit parser corpus", () => {
  const cases = corpusCases("testfiles");
  it("has the 33 positive cases", () => {
    expect(cases.length).toBe(33);
  });
  for (const c of cases) {
    const text = readFileSync(join(BUILDKIT_CORPUS, "testfiles", c, "Dockerfile"), "utf8");
    it(`${c}: AST dump matches BuildKit's result byte for byte`, () => {
      const want = readFileSync(join(BUILDKIT_CORPUS, "testfiles", c, "result"), "utf8");
      expect(dumpBuildkit(parseDockerfile(text, { strict: false }))).toBe(want);
    });
    it(`${c}: print(parse(x)) == x`, () => {
      expect(printDockerfile(parseDockerfile(text, { strict: false }))).toBe(text);
    });
  }

  for (const c of corpusCases("testfiles-negative")) {
    it(`${c}: rejected with a located ParseError`, () => {
      const text = readFileSync(join(BUILDKIT_CORPUS, "testfiles-negative", c, "Dockerfile"), "utf8");
      let err: unknown;
      try {
        parseDockerfile(text, { strict: false });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ParseError);
      expect((err as ParseError).location?.line).toBeGreaterThan(0);
    });
  }

  it("testfile-line: line spans of the file and its instructions", () => {
    const text = readFileSync(join(BUILDKIT_CORPUS, "testfile-line", "Dockerfile"), "utf8");
    const df = parseDockerfile(text);
    expect([df.range.start.line, df.range.end.line]).toEqual([5, 31]);
    expect(df.instructions.map((i) => [i.range.start.line, i.range.end.line])).toEqual([
      [5, 5],
      [11, 12],
      [17, 31],
    ]);
    // The comment and blank lines inside the RUN continuation stay in its raw text.
    const run = df.instructions[2];
    expect(run?.raw?.split("\n").length).toBe(31 - 17 + 2);
  });
});

describe("seed labs", () => {
  const seeds = seedDockerfiles();
  it("has Dockerfiles", () => {
    expect(seeds.length).toBeGreaterThanOrEqual(4);
  });
  for (const s of seeds) {
    it(`${s.name}: parses strictly and round-trips`, () => {
      const df = parseDockerfile(s.text, { file: s.name });
      expect(df.stages.length).toBeGreaterThan(0);
      expect(printDockerfile(df)).toBe(s.text);
    });
  }
});
