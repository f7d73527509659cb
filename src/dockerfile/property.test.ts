import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isSlimstageError } from "../errors.js";
import { dumpBuildkit } from "./buildkit-dump.js";
import { expand } from "./expand.js";
import { parseDockerfile } from "./parser.js";
import { printDockerfile } from "./printer.js";
import { buildStageGraph } from "./stage-graph.js";

const TOKENS = [
  "FROM ",
  "from ",
  "RUN ",
  "COPY ",
  "ADD ",
  "ENV ",
  "ARG ",
  "LABEL ",
  "ONBUILD ",
  "HEALTHCHECK ",
  "CMD ",
  "SHELL ",
  "EXPOSE ",
  "USER ",
  "WORKDIR ",
  "VOLUME ",
  " AS ",
  "\\\n",
  "`\n",
  "\n",
  "\r\n",
  "\n\n",
  "# c\n",
  "# escape=`\n",
  "# syntax=x\n",
  "<<EOF",
  "<<-EOF",
  "<<'EOF'",
  "EOF\n",
  "\tEOF\n",
  "[",
  "]",
  '"',
  "'",
  ", ",
  "--mount=type=cache,target=/c ",
  "--from=0 ",
  "--link ",
  "--x=",
  "$",
  "${",
  "}",
  ":-",
  "=",
  " ",
  "\t",
  "&&",
  "|",
  ";",
  "(",
  ")",
  "\uFEFF",
  "é",
];

const noise = fc
  .array(
    fc.oneof(
      fc.constantFrom(...TOKENS),
      fc.string({ maxLength: 6 }),
      fc.string({ unit: "grapheme", maxLength: 3 }),
    ),
    {
      maxLength: 60,
    },
  )
  .map((parts) => parts.join(""));

function exercise(text: string, strict: boolean): void {
  try {
    const df = parseDockerfile(text, { strict });
    expect(printDockerfile(df)).toBe(text);
    dumpBuildkit(df);
    for (const ins of df.instructions) {
      const run = ins.keyword === "ONBUILD" ? ins.trigger : ins;
      if (run.keyword === "RUN") void run.shell.commands.length;
    }
    try {
      buildStageGraph(df);
      expand(df);
    } catch (e) {
      if (!isSlimstageError(e) || e.kind !== "input") throw e;
    }
  } catch (e) {
    if (!isSlimstageError(e) || e.kind !== "input") throw e;
  }
}

describe("property: random input", () => {
  it("never crashes: a model that prints back to the input, or a typed input error", () => {
    fc.assert(
      fc.property(noise, fc.boolean(), (text, strict) => exercise(text, strict)),
      { numRuns: 1500 },
    );
  });

  it("arbitrary unicode strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (text) =>
        exercise(`FROM a\n${text}`, false),
      ),
      { numRuns: 500 },
    );
  });
});

// A generator of valid Dockerfiles: instructions with continuations, comments, blank lines and heredocs.
const word = fc.stringMatching(/^[a-z][a-z0-9._/-]{0,8}$/);
const space = fc.constantFrom(" ", "  ", "\t");
const eol = fc.constantFrom("\n", "\r\n");
const continuation = fc.tuple(
  space,
  fc.constantFrom("\\\n", "\\  \n"),
  fc.constantFrom("", "    ", "# inner comment\n    ", "\n  "),
);

const runLine = fc
  .tuple(
    fc.array(word, { minLength: 1, maxLength: 4 }),
    fc.option(continuation, { nil: undefined }),
    fc.array(word, { maxLength: 3 }),
  )
  .map(([a, c, b]) => `RUN ${a.join(" ")}${c ? `${c[0]}${c[1]}${c[2]}` : " "}&& echo ${b.join(" ") || "x"}`);
const heredocRun = fc
  .tuple(fc.constantFrom("EOF", "END", "PY"), fc.boolean(), fc.array(word, { maxLength: 3 }))
  .map(
    ([name, chomp, body]) =>
      `RUN <<${chomp ? "-" : ""}${name}\n${body.map((w) => `${chomp ? "\t" : ""}echo ${w}\n`).join("")}${name}`,
  );
const copyLine = fc
  .tuple(
    fc.option(fc.constantFrom("--chown=1:1 ", "--link ", "--from=nginx:1.27 ", "--chmod=644 "), { nil: "" }),
    word,
    word,
  )
  .map(([f, a, b]) => `COPY ${f}${a} /${b}`);
const envLine = fc.tuple(word, word).map(([k, v]) => `ENV ${k.replace(/[^a-z0-9_]/g, "_")}=${v}`);
const cmdLine = fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => `CMD ${JSON.stringify(ws)}`);
const misc = fc.constantFrom(
  "WORKDIR /app",
  "USER 1000",
  "EXPOSE 8000/tcp",
  "LABEL a=b",
  "ARG X=1",
  "# a comment",
  "",
  "   ",
  "ONBUILD RUN make",
);
const instruction = fc.oneof(runLine, heredocRun, copyLine, envLine, cmdLine, misc);
const stage = fc
  .tuple(word, fc.array(instruction, { maxLength: 8 }))
  .map(([img, body]): string[] => [`FROM ${img} AS s0`, ...body]);

const validFile = fc
  .tuple(fc.array(stage, { minLength: 1, maxLength: 3 }), eol, fc.boolean())
  .map(([stages, nl, finalNewline]) => {
    // Unique stage names: rename per position.
    const lines = stages.flatMap((s, i) => [
      s[0]?.replace(/ AS s\d+$/, ` AS s${i}`) as string,
      ...s.slice(1),
    ]);
    const text = lines.join("\n").split("\n").join(nl);
    return finalNewline ? `${text}${nl}` : text;
  });

describe("property: generated valid Dockerfiles", () => {
  it("parse strictly and print back byte for byte", () => {
    fc.assert(
      fc.property(validFile, (text) => {
        const df = parseDockerfile(text);
        expect(printDockerfile(df)).toBe(text);
        expect(df.stages.length).toBeGreaterThan(0);
        const g = buildStageGraph(df);
        expect(g.stages[g.target]?.reachesFinalImage).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("re-rendering every instruction from its typed fields keeps BuildKit's view", () => {
    fc.assert(
      fc.property(validFile, (text) => {
        const df = parseDockerfile(text);
        const rendered = printDockerfile({
          ...df,
          nodes: df.nodes.map((n) => ({ ...n, raw: undefined }) as typeof n),
        });
        expect(dumpBuildkit(parseDockerfile(rendered))).toBe(dumpBuildkit(df));
      }),
      { numRuns: 300 },
    );
  });
});
