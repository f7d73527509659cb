// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Dockerfile/shell syntax, not templates
import { describe, expect, it } from "vitest";
import { ParseError } from "../errors.js";
import { expand, expandWord } from "./expand.js";
import { parseDockerfile } from "./parser.js";

const env: Record<string, string> = { A: "apple", E: "", P: "/usr/local/lib/python3.11" };
const x = (w: string, esc: "\\" | "`" = "\\") => expandWord(w, (n) => env[n], { escape: esc });

describe("expandWord (BuildKit's ProcessWord)", () => {
  it.each([
    ["$A", "apple"],
    ["${A}", "apple"],
    ["${U:-dflt}", "dflt"],
    ["${E:-dflt}", "dflt"],
    ["${E-dflt}", ""],
    ["${A:+alt}", "alt"],
    ["${U:+alt}", ""],
    ["${E+alt}", "alt"],
    ["${P#*/}", "usr/local/lib/python3.11"],
    ["${P##*/}", "python3.11"],
    ["${P%/*}", "/usr/local/lib"],
    ["${P%%/*}", ""],
    ["${P/local/opt}", "/usr/opt/lib/python3.11"],
    ["'$A'", "$A"],
    ['"$A b"', "apple b"],
    ["\\$A", "$A"],
    ["a\\ b", "a b"],
    ["$U", ""],
    ["${A}s", "apples"],
    ["$1", ""],
  ])("%s -> %s", (word, want) => {
    expect(x(word)).toBe(want);
  });

  it("uses the backtick escape when the directive says so", () => {
    expect(x("`$A", "`")).toBe("$A");
    expect(x("C:\\dir", "`")).toBe("C:\\dir");
  });

  it("${v:?msg} fails with the message", () => {
    expect(() => x("${U:?must be set}")).toThrow(/U: must be set/);
    expect(() => x("${E:?}")).toThrow(/is not allowed to be empty/);
    expect(x("${A:?x}")).toBe("apple");
  });

  it("rejects modifiers BuildKit does not support", () => {
    expect(() => x("${A:#x}")).toThrow(ParseError);
    expect(() => x("${A")).toThrow(/unsupported modifier/);
    expect(() => x("${A:-x")).toThrow(/missing '}'/);
  });

  it("reports undefined variables", () => {
    const seen: string[] = [];
    expandWord("$X ${Y:-1} $A", (n) => env[n], { onUndefined: (n) => seen.push(n) });
    expect(seen.sort()).toEqual(["X", "Y"]);
  });
});

describe("expand (a Dockerfile)", () => {
  const text = `ARG BASE=python
ARG TAG=3.11-slim
ARG ONLY_GLOBAL=g
FROM \${BASE}:\${TAG} AS build
ARG TAG
ARG ONLY_GLOBAL_UNDECLARED
ENV HOME_DIR=/home/app TAG_COPY=$TAG
ARG HOME_DIR=from-arg
WORKDIR $HOME_DIR/src
ENV A=1 B=$A
FROM build AS final
ARG V=1
COPY --chown=$V:$V a /\${HOME_DIR}
USER \${V:-0}
`;
  const df = parseDockerfile(text);

  it("global ARGs expand FROM and reach a stage only when redeclared", () => {
    const e = expand(df);
    expect(e.globalArgs).toEqual({ BASE: "python", TAG: "3.11-slim", ONLY_GLOBAL: "g" });
    expect(e.stages[0]?.baseImage).toBe("python:3.11-slim");
    expect(e.stages[0]?.vars.TAG).toBe("3.11-slim");
    expect(e.stages[0]?.vars.ONLY_GLOBAL).toBeUndefined();
  });

  it("ENV overrides ARG; values are expanded against the state before the instruction", () => {
    const s0 = expand(df).stages[0];
    const workdir = s0?.instructions.find((i) => i.instruction.keyword === "WORKDIR");
    expect(workdir?.words).toEqual(["/home/app/src"]);
    const envAB = s0?.instructions.filter((i) => i.instruction.keyword === "ENV")[1];
    expect(envAB?.words).toEqual(["A=1", "B="]);
    expect(s0?.env).toMatchObject({ HOME_DIR: "/home/app", TAG_COPY: "3.11-slim", A: "1", B: "" });
  });

  it("FROM <stage> inherits the stage's ENV but not its ARGs", () => {
    const s1 = expand(df).stages[1];
    expect(s1?.env.HOME_DIR).toBe("/home/app");
    expect(s1?.vars.TAG).toBeUndefined();
    const copy = s1?.instructions.find((i) => i.instruction.keyword === "COPY");
    expect(copy?.words).toEqual(["a", "//home/app"]);
  });

  it("build args override defaults, and unused ones are reported", () => {
    const e = expand(df, { buildArgs: { TAG: "3.12", V: "7", NOPE: "1" } });
    expect(e.stages[0]?.baseImage).toBe("python:3.12");
    expect(e.stages[1]?.instructions.find((i) => i.instruction.keyword === "USER")?.words).toEqual(["7"]);
    expect(e.unusedBuildArgs).toEqual(["NOPE"]);
  });

  it("does not mutate the model", () => {
    const before = JSON.stringify(df);
    expand(df, { buildArgs: { TAG: "x" } });
    expect(JSON.stringify(df)).toBe(before);
  });

  it("platform ARGs are automatic in FROM and available in a stage when declared", () => {
    const d = parseDockerfile(
      "FROM --platform=$BUILDPLATFORM golang AS b\nARG TARGETARCH\nRUN echo $TARGETARCH\n",
    );
    const e = expand(d, { platform: "linux/arm64" });
    expect(e.stages[0]?.platform).toBe("linux/arm64");
    expect(e.stages[0]?.vars.TARGETARCH).toBe("arm64");
  });

  it("errors carry the instruction's location", () => {
    const d = parseDockerfile("FROM a\nWORKDIR ${NOPE:?required}\n", { file: "Dockerfile" });
    try {
      expand(d);
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      expect((e as ParseError).location).toMatchObject({ file: "Dockerfile", line: 2 });
    }
  });
});
