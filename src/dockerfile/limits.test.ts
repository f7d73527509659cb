// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Dockerfile/shell syntax, not templates
import { describe, expect, it } from "vitest";
import { LimitError, ParseError } from "../errors.js";
import { lintText } from "../lint/engine.js";
import { expand, expandWord } from "./expand.js";
import { DOCKERFILE_LIMITS } from "./limits.js";
import { parseDockerfile } from "./parser.js";
import { buildStageGraph } from "./stage-graph.js";

/** `ENV A=ab` then n doublings: 2^(n+1) characters if nothing stops it (issue #16, finding 1). */
function doubling(n: number): string {
  return `FROM debian:bookworm-slim\nENV A=ab\n${"ENV A=$A$A\n".repeat(n)}RUN echo hi\n`;
}

function nested(depth: number): string {
  let w = "x";
  for (let i = 0; i < depth; i++) w = `\${A:-${w}}`;
  return w;
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("bounded expansion", () => {
  it("stops the ENV A=$A$A doubling chain at the length cap, with the line that crossed it", () => {
    const df = parseDockerfile(doubling(40), { file: "Dockerfile" });
    const err = thrown(() => expand(df));
    expect(err).toBeInstanceOf(LimitError);
    const e = err as LimitError;
    // ab = 2 chars; line 2+k holds 2^(k+1) chars; 2^21 > 1 MiB is the first over, at line 22.
    expect(e.location).toMatchObject({ file: "Dockerfile", line: 22, column: 1 });
    expect(e.message).toMatch(/more than 1048576 characters/);
    expect(e.sourceLine).toBe("ENV A=$A$A");
  });

  it("still expands a chain that stays under the cap", () => {
    const df = parseDockerfile(doubling(10));
    expect(expand(df).stages[0]?.env.A).toHaveLength(2 ** 11);
  });

  it("lint reports the over-limit file as a parse finding at the line instead of running for minutes", () => {
    const r = lintText(doubling(23), { file: "Dockerfile" });
    expect(r.parseFailed).toBe(true);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]?.range.start.line).toBe(22);
  });

  it("caps the sum of expansions: many lines each expanding a large value", () => {
    const big = "x".repeat(DOCKERFILE_LIMITS.maxExpandedLength - 10);
    const text = `FROM scratch\nARG B=${big}\n${"LABEL l=$B\n".repeat(80)}`;
    const err = thrown(() => expand(parseDockerfile(text)));
    expect(err).toBeInstanceOf(LimitError);
    expect((err as LimitError).message).toMatch(/in total/);
    expect((err as LimitError).location?.line).toBeGreaterThan(2);
  });

  it("a ${X/p/r} replacement that multiplies the value is capped too", () => {
    const err = thrown(() =>
      expandWord("${A//a/aaaaaaaaaaaaaaaa}", (n) => (n === "A" ? "a".repeat(100_000) : undefined)),
    );
    expect(err).toBeInstanceOf(LimitError);
  });
});

describe("bounded nesting (no stack overflow)", () => {
  it("2,000 nested ${A:-...} in ENV are a located ParseError from parse + stage graph", () => {
    const text = `FROM debian:bookworm-slim\nENV B=${nested(2000)}\nRUN echo $B\n`;
    const df = parseDockerfile(text, { file: "Dockerfile" });
    const err = thrown(() => buildStageGraph(df));
    expect(err).toBeInstanceOf(ParseError);
    expect(err).not.toBeInstanceOf(RangeError);
    expect((err as ParseError).location).toMatchObject({ line: 2 });
    expect((err as ParseError).message).toMatch(/nested more than 64 levels/);
  });

  it("2,000 nested levels in FROM (lexed while parsing) are a located ParseError", () => {
    const err = thrown(() => parseDockerfile(`FROM ${nested(2000)}\n`, { file: "Dockerfile" }));
    const r = lintText(`FROM ${nested(2000)}\n`);
    expect(r.parseFailed).toBe(true);
    // Either the parser or expansion refuses it; never a RangeError.
    if (err !== undefined) expect(err).toBeInstanceOf(ParseError);
  });

  it("nesting up to the cap gives BuildKit's result", () => {
    expect(expandWord(nested(DOCKERFILE_LIMITS.maxNesting), () => undefined)).toBe("x");
    expect(expandWord(nested(DOCKERFILE_LIMITS.maxNesting), (n) => (n === "A" ? "a" : undefined))).toBe("a");
  });

  it("the error quotes only the start of a long word", () => {
    const err = thrown(() => expandWord(`${"y".repeat(10_000)}${nested(100)}`, () => undefined));
    expect((err as Error).message.length).toBeLessThan(300);
  });
});
