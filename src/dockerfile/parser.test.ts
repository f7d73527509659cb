// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Dockerfile/shell syntax, not templates
import { describe, expect, it } from "vitest";
import { ParseError } from "../errors.js";
import { dumpBuildkit } from "./buildkit-dump.js";
import { goQuote } from "./go-quote.js";
import { parseFromReference } from "./image-ref.js";
import type { Instruction, InstructionKeyword, InstructionOf } from "./model.js";
import { dockerfileFromNodes, parseDockerfile, parseInstruction } from "./parser.js";
import { printDockerfile, printInstruction } from "./printer.js";

function only<K extends InstructionKeyword>(text: string, k: K): InstructionOf<K> {
  const ins = parseDockerfile(text).instructions.find((i) => i.keyword === k);
  if (!ins) throw new Error(`no ${k}`);
  return ins as InstructionOf<K>;
}

function errorOf(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error("expected a ParseError");
}

describe("directives and escapes", () => {
  it("reads syntax, escape and check directives only at the top", () => {
    const df = parseDockerfile(
      "# syntax=docker/dockerfile:1\n#check=skip=all\n# escape=`\nFROM a\n# escape=\\\n",
    );
    expect(df.directives.map((d) => [d.name, d.value])).toEqual([
      ["syntax", "docker/dockerfile:1"],
      ["check", "skip=all"],
      ["escape", "`"],
    ]);
    expect(df.escape).toBe("`");
    expect(df.nodes.map((n) => n.kind)).toEqual([
      "directive",
      "directive",
      "directive",
      "instruction",
      "comment",
    ]);
  });

  it("a comment or blank line ends the directive block", () => {
    expect(parseDockerfile("# hello\n# escape=`\nFROM a\n").escape).toBe("\\");
    expect(parseDockerfile("\n# escape=`\nFROM a\n").escape).toBe("\\");
  });

  it("backtick escape continues lines and keeps backslashes literal", () => {
    const df = parseDockerfile("# escape=`\nFROM a\nRUN dir C:\\ `\n  && echo x\n");
    expect(df.instructions[1]?.args).toBe("dir C:\\   && echo x");
    expect(df.instructions[1]?.range.end.line).toBe(4);
  });

  it("rejects an invalid escape token", () => {
    const e = errorOf(() => parseDockerfile("# escape=x\nFROM a\n"));
    expect(e.message).toMatch(/invalid escape token/);
    expect(e.location?.line).toBe(1);
  });

  it("keeps comments and blank lines inside continuations out of the value but in raw", () => {
    const text = "FROM a\nRUN a \\\n# c1\n\n  b \\\n  # c2\n  c\n";
    const df = parseDockerfile(text);
    const run = df.instructions[1] as Instruction;
    expect(run.args).toBe("a   b   c");
    expect(run.innerComments?.map((c) => c.text)).toEqual([" c1", " c2"]);
    expect(run.raw).toBe(text.slice(7));
    expect(df.warnings.length).toBe(1);
  });

  it("handles a BOM and CRLF losslessly", () => {
    const text = "\uFEFFFROM a\r\nRUN x \\\r\n  y\r\n";
    const df = parseDockerfile(text);
    expect((df.instructions[0] as InstructionOf<"FROM">).image).toBe("a");
    expect(df.instructions[1]?.args).toBe("x   y");
    expect(printDockerfile(df)).toBe(text);
  });
});

describe("source ranges", () => {
  it("gives keyword, flag and argument positions", () => {
    const text = "FROM a\n  COPY --from=b --chown=1:2 src/ /dst/\n";
    const copy = parseDockerfile(text).instructions[1] as InstructionOf<"COPY">;
    expect(copy.range.start).toEqual({ line: 2, column: 3, offset: 9 });
    expect(copy.range.end).toEqual({ line: 2, column: 39, offset: 45 });
    expect(copy.flags.map((f) => [f.raw, f.range.start.column, f.range.end.column])).toEqual([
      ["--from=b", 8, 16],
      ["--chown=1:2", 17, 28],
    ]);
    expect(copy.from).toBe("b");
    expect(copy.chown).toBe("1:2");
    expect(copy.sources).toEqual(["src/"]);
    expect(copy.dest).toBe("/dst/");
  });

  it("maps positions across continuation lines", () => {
    const env = only("FROM a\nENV A=1 \\\n    B=2\n", "ENV");
    expect(env.pairs.map((p) => [p.key, p.value, p.range.start.line, p.range.start.column])).toEqual([
      ["A", "1", 2, 5],
      ["B", "2", 3, 5],
    ]);
  });
});

describe("JSON and shell forms", () => {
  it("falls back to shell form for invalid JSON, as BuildKit", () => {
    const cmd = only('FROM a\nCMD ["a", "b"\n', "CMD");
    expect(cmd.command).toEqual({ form: "shell", command: '["a", "b"' });
    const ok = only('FROM a\nCMD ["a", "b"]\n', "CMD");
    expect(ok.command).toEqual({ form: "json", args: ["a", "b"] });
  });

  it("warns when an intended JSON array is invalid, but not for shell tests", () => {
    const warn = (t: string) => parseDockerfile(`FROM a\n${t}\n`).warnings.map((w) => w.message);
    expect(warn('CMD ["a", "b"')).toEqual([
      "CMD: the arguments look like a JSON array but are not valid JSON; BuildKit runs them in shell form",
    ]);
    expect(warn("ENTRYPOINT ['a', 'b']")).toEqual([]);
    expect(warn('RUN [ "$X" = y ] && echo ok')).toEqual([]);
    expect(warn('RUN [ -f /x ] || echo "no"')).toEqual([]);
    expect(warn('CMD ["a"')).toHaveLength(1);
  });

  it("rejects a JSON array of non-strings", () => {
    expect(errorOf(() => parseDockerfile('FROM a\nCMD ["a", 1]\n')).message).toMatch(/strings only/);
  });
});

describe("heredocs", () => {
  it("reads several heredocs, quoted delimiters, chomp and fd", () => {
    const text = 'FROM a\nCOPY <<A <<"B" /d/\na $x\nA\nb $x\nB\nRUN 3<<-EOT cat\n\t\tindented\n\tEOT\n';
    const df = parseDockerfile(text);
    const copy = df.instructions[1] as InstructionOf<"COPY">;
    expect(copy.heredocs.map((h) => [h.name, h.expand, h.quoted, h.content])).toEqual([
      ["A", true, false, "a $x\n"],
      ["B", false, true, "b $x\n"],
    ]);
    expect(copy.sources).toEqual(["<<A", '<<"B"']);
    const run = df.instructions[2] as InstructionOf<"RUN">;
    expect(run.heredocs[0]).toMatchObject({ name: "EOT", chomp: true, fd: 3, content: "\t\tindented\n" });
    expect(run.range.end.line).toBe(9);
    expect(printDockerfile(df)).toBe(text);
  });

  it("does not treat heredocs in JSON form or in other instructions as heredocs", () => {
    const df = parseDockerfile('FROM a\nRUN ["<<EOF"]\nUSER <<EOF\n');
    expect(df.instructions.map((i) => i.heredocs.length)).toEqual([0, 0, 0]);
  });

  it("errors on an unterminated heredoc with its line", () => {
    const e = errorOf(() => parseDockerfile("FROM a\nRUN <<EOF\necho\n"));
    expect(e.message).toMatch(/unterminated heredoc/);
    expect(e.location?.line).toBe(2);
    expect(e.sourceLine).toBe("RUN <<EOF");
  });
});

describe("RUN: flags and the shell script", () => {
  it("parses mounts, network and security", () => {
    const run = only(
      "FROM a\nRUN --mount=type=cache,target=/c,sharing=locked --mount=type=secret,id=t,env=T --network=none --security=insecure make\n",
      "RUN",
    );
    expect(run.mounts.map((m) => [m.type, m.target, m.sharing, m.id, m.env])).toEqual([
      ["cache", "/c", "locked", undefined, undefined],
      ["secret", undefined, undefined, "t", "T"],
    ]);
    expect(run.network).toBe("none");
    expect(run.security).toBe("insecure");
  });

  it("finds simple commands across &&, ;, pipes, subshells, $( ) and control flow", () => {
    const run = only(
      'FROM a\nRUN apt-get update && apt-get install -y curl; (cd /x && make) | tee log; if true; then echo "$(id -u)"; fi\n',
      "RUN",
    );
    expect(run.shell.commands.map((c) => [c.name, ...c.args])).toEqual([
      ["apt-get", "update"],
      ["apt-get", "install", "-y", "curl"],
      ["cd", "/x"],
      ["make"],
      ["tee", "log"],
      ["true"],
      ["echo", "$(id -u)"],
      ["id", "-u"],
    ]);
    const install = run.shell.commands[1];
    expect(install?.range.start).toMatchObject({ line: 2, column: 23 });
    expect(install?.raw).toBe("apt-get install -y curl");
    expect(run.shell.commands[6]?.dynamicWords).toEqual([1]);
  });

  it("maps command ranges across continuation lines", () => {
    const run = only("FROM a\nRUN apt-get update \\\n    && apt-get install -y curl\n", "RUN");
    expect(run.shell.commands[1]?.range.start).toMatchObject({ line: 3, column: 8 });
  });

  it("handles non-ASCII scripts", () => {
    const run = only("FROM a\nRUN echo héllo && ls\n", "RUN");
    expect(run.shell.commands.map((c) => [c.name, c.args, c.range.start.column])).toEqual([
      ["echo", ["héllo"], 5],
      ["ls", [], 19],
    ]);
  });

  it("parses heredoc bodies as scripts", () => {
    const run = only("FROM a\nRUN <<EOF\nset -e\npip install x\nEOF\n", "RUN");
    expect(run.shell.commands.map((c) => [c.source, c.name, c.range.start.line])).toEqual([
      ["heredoc", "set", 3],
      ["heredoc", "pip", 4],
    ]);
  });

  it("records a script that does not parse without failing the Dockerfile", () => {
    const run = only("FROM a\nRUN echo 'unterminated\n", "RUN");
    expect(run.shell.error?.message).toMatch(/quote/);
    expect(run.shell.commands).toEqual([]);
  });

  it("parses `sh -c` scripts of the exec form", () => {
    const run = only('FROM a\nRUN ["/bin/sh", "-c", "a && b x"]\n', "RUN");
    expect(run.shell.commands.map((c) => c.name)).toEqual(["a", "b"]);
  });

  it("is lazy by default and eager on request, with the same result", () => {
    const text = "FROM a\nRUN a b && c\n";
    const lazy = parseDockerfile(text).instructions[1] as InstructionOf<"RUN">;
    const eager = parseDockerfile(text, { shell: true }).instructions[1] as InstructionOf<"RUN">;
    expect(JSON.parse(JSON.stringify(lazy))).toEqual(JSON.parse(JSON.stringify(eager)));
    expect({ ...lazy }.shell.commands.length).toBe(2);
  });
});

describe("typed instructions", () => {
  it("FROM: image reference, platform, stage name", () => {
    const from = only("FROM --platform=linux/arm64 localhost:5000/org/img:1.0@sha256:abc AS Build\n", "FROM");
    expect(from.platform).toBe("linux/arm64");
    expect(from.stageName).toBe("Build");
    expect(from.imageRef).toMatchObject({
      registry: "localhost:5000",
      repository: "org/img",
      tag: "1.0",
      digest: "sha256:abc",
    });
  });

  it("ranges of the image, the stage name and exposed ports", () => {
    const df = parseDockerfile("FROM  python:3.11 as Build\nEXPOSE 80 \\\n  443/tcp\n");
    const from = df.instructions[0] as InstructionOf<"FROM">;
    expect([from.imageRange?.start.column, from.imageRange?.end.column]).toEqual([7, 18]);
    expect([from.stageNameRange?.start.column, from.stageNameRange?.end.column]).toEqual([22, 27]);
    const expose = df.instructions[1] as InstructionOf<"EXPOSE">;
    expect(expose.ports.map((p) => [p.range?.start.line, p.range?.start.column])).toEqual([
      [2, 8],
      [3, 3],
    ]);
  });

  it("warns about instructions before the first FROM but still parses them", () => {
    const df = parseDockerfile("RUN apt-get install x\nFROM a\n");
    expect(df.warnings.map((w) => w.message)).toEqual([
      "no build stage in current context: RUN before the first FROM",
    ]);
    expect(df.instructions[0]?.stage).toBe(-1);
  });

  it("image references", () => {
    expect(parseFromReference("python:3.11-slim")).toMatchObject({ repository: "python", tag: "3.11-slim" });
    expect(parseFromReference("ghcr.io/a/b")).toMatchObject({ registry: "ghcr.io", repository: "a/b" });
    expect(parseFromReference("a/b:c").registry).toBeUndefined();
    expect(parseFromReference("scratch").scratch).toBe(true);
    expect(parseFromReference("${BASE}").hasVariables).toBe(true);
  });

  it("ENV legacy and key=value forms, ARG, LABEL, USER, EXPOSE, HEALTHCHECK, ONBUILD", () => {
    const df = parseDockerfile(
      'FROM a\nENV K v w\nENV A="x y" B=z\nARG N D=1\nLABEL a=b\nUSER u:g\nEXPOSE 80 53/udp 8000-8010\nHEALTHCHECK --interval=5s --retries=2 CMD ["curl", "x"]\nONBUILD RUN make\nSTOPSIGNAL SIGINT\nVOLUME /v\nSHELL ["bash", "-c"]\nMAINTAINER me\nWORKDIR /w\n',
    );
    const [, env1, env2, arg, label, user, expose, hc, onb, stop, vol, shell, maint, wd] = df.instructions;
    expect((env1 as InstructionOf<"ENV">).pairs.map((p) => [p.key, p.value, p.sep])).toEqual([
      ["K", "v w", ""],
    ]);
    expect((env2 as InstructionOf<"ENV">).pairs.map((p) => [p.key, p.value])).toEqual([
      ["A", '"x y"'],
      ["B", "z"],
    ]);
    expect((arg as InstructionOf<"ARG">).decls.map((d) => [d.name, d.defaultValue])).toEqual([
      ["N", undefined],
      ["D", "1"],
    ]);
    expect((label as InstructionOf<"LABEL">).pairs[0]?.key).toBe("a");
    expect(user).toMatchObject({ user: "u", group: "g" });
    expect((expose as InstructionOf<"EXPOSE">).ports.map((p) => [p.port, p.endPort, p.protocol])).toEqual([
      [80, undefined, "tcp"],
      [53, undefined, "udp"],
      [8000, 8010, "tcp"],
    ]);
    expect(hc).toMatchObject({
      interval: "5s",
      retries: 2,
      none: false,
      command: { form: "json", args: ["curl", "x"] },
    });
    expect((onb as InstructionOf<"ONBUILD">).trigger).toMatchObject({
      keyword: "RUN",
      command: { form: "shell", command: "make" },
    });
    expect(stop).toMatchObject({ signal: "SIGINT" });
    expect(vol).toMatchObject({ form: "shell", paths: ["/v"] });
    expect(shell).toMatchObject({ shellArgs: ["bash", "-c"] });
    expect(maint).toMatchObject({ maintainer: "me" });
    expect(wd).toMatchObject({ path: "/w" });
    expect(df.stages[0]?.instructions.length).toBe(13);
  });

  it("strict mode rejects bad flags; lenient mode records them", () => {
    const text = "FROM a\nCOPY --user=me a b\n";
    const e = errorOf(() => parseDockerfile(text, { file: "Dockerfile" }));
    expect(e.message).toBe("COPY: unknown flag: user");
    expect(e.location).toMatchObject({ file: "Dockerfile", line: 2, column: 6 });
    const df = parseDockerfile(text, { strict: false });
    expect(df.warnings.map((w) => w.message)).toEqual(["COPY: unknown flag: user"]);
  });

  it("unknown instructions are always errors, with a suggestion", () => {
    const e = errorOf(() => parseDockerfile("FROM a\nCOPPY a b\n", { strict: false }));
    expect(e.message).toBe("unknown instruction: COPPY (did you mean copy?)");
    expect(e.sourceLine).toBe("COPPY a b");
  });
});

describe("printer", () => {
  it("prints new and changed instructions from their typed fields, untouched ones byte for byte", () => {
    const text = "FROM python:3.11   AS base\n# keep me\nRUN   pip install x\n";
    const df = parseDockerfile(text);
    const run = df.instructions[1] as InstructionOf<"RUN">;
    const changed: InstructionOf<"RUN"> = {
      ...run,
      raw: undefined,
      command: { form: "shell", command: "pip install --no-cache-dir x" },
    };
    const added = parseInstruction('CMD ["python", "app.py"]');
    const nodes = df.nodes.map((n) => (n === run ? changed : n));
    nodes.push(added);
    const out = printDockerfile(dockerfileFromNodes(nodes));
    expect(out).toBe(
      'FROM python:3.11   AS base\n# keep me\nRUN pip install --no-cache-dir x\nCMD ["python", "app.py"]',
    );
    expect(printInstruction({ ...(df.instructions[0] as Instruction), raw: undefined })).toBe(
      "FROM python:3.11 AS base",
    );
  });

  it("renders every instruction kind so that it parses back to the same dump", () => {
    const text =
      'FROM --platform=linux/amd64 a AS b\nRUN --mount=type=cache,target=/c --network=host x && y\nCOPY --from=b --chown=1 --link --exclude=*.md a b /c/\nADD --keep-git-dir --checksum=sha256:1 u /d\nENV A=1 B="2 3"\nENV L x y\nLABEL k=v\nARG X Y=2\nUSER u\nWORKDIR /w\nEXPOSE 80/udp\nCMD ["a"]\nENTRYPOINT e f\nSHELL ["sh", "-c"]\nHEALTHCHECK --interval=1s CMD c\nHEALTHCHECK NONE\nSTOPSIGNAL 9\nVOLUME ["/v"]\nONBUILD RUN z\nMAINTAINER m\nRUN <<EOF\nbody\nEOF\n';
    const df = parseDockerfile(text);
    const rendered = df.nodes.map((n) => ({ ...n, raw: undefined }) as typeof n);
    const out = printDockerfile(dockerfileFromNodes(rendered));
    expect(dumpBuildkit(parseDockerfile(out))).toBe(dumpBuildkit(df));
  });
});

describe("Go quoting", () => {
  it("matches strconv.Quote", () => {
    expect(goQuote('a"b\\c\n\t\x01é\u200b')).toBe('"a\\"b\\\\c\\n\\t\\x01é\\u200b"');
  });
});
