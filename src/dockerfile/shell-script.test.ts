import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { InstructionOf, Range } from "./model.js";
import { parseDockerfile } from "./parser.js";
import { parseShell, parseShellBatch, type ScriptPart } from "./shell-script.js";
import { BUILDKIT_CORPUS, seedDockerfiles } from "./test-corpus.js";

const noRange: Range = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
const part = (script: string): ScriptPart => ({
  script,
  source: "script",
  toRange: (s, e) => ({
    start: { line: 1, column: s + 1, offset: s },
    end: { line: 1, column: e + 1, offset: e },
  }),
});

describe("parseShell", () => {
  it("finds the simple commands across lists, case, loops and functions", () => {
    const r = parseShell(
      part(
        "FOO=1 make -j2 'a b' \"$X\" && export A=1 B; case x in y) z;; esac; for i in 1; do w; done; f() { g; }",
      ),
    );
    expect(r.error).toBeUndefined();
    expect(r.commands.map((c) => [c.name, ...c.args])).toEqual([
      ["make", "-j2", "a b", "$X"],
      ["export", "A=1", "B"],
      ["z"],
      ["w"],
      ["g"],
    ]);
    expect(r.commands[0]?.assigns).toEqual(["FOO=1"]);
    expect(r.commands[0]?.raw).toBe("FOO=1 make -j2 'a b' \"$X\"");
    expect(r.commands[0]?.range.start.offset).toBe(0);
  });

  it("reports syntax errors with mvdan's message and their place", () => {
    const r = parseShell(part("if true; then"));
    expect(r.error?.message).toBe('"then" must be followed by a statement list');
    expect(r.error?.range?.start.offset).toBe(13);
    expect(parseShell(part("echo 'abc")).error?.range?.start.offset).toBe(5);
  });
});

describe("deep scripts (#16)", () => {
  it("parses a RUN with 5,000 && links: every command, in source order", () => {
    let script = "true";
    for (let i = 0; i < 5000; i++) script += ` && echo ${i}`;
    const df = parseDockerfile(`FROM debian\nRUN ${script}\n`, { shell: true });
    const run = df.instructions[1] as InstructionOf<"RUN">;
    expect(run.shell.error).toBeUndefined();
    expect(run.shell.commands).toHaveLength(5001);
    expect(run.shell.commands[5000]?.args).toEqual(["4999"]);
    expect(run.shell.commands[5000]?.range.start.line).toBe(2);
  });

  it("reports nesting deeper than the stack as an error located on the script, without throwing", () => {
    const script = `${"( ".repeat(20000)}true${" )".repeat(20000)}`;
    const df = parseDockerfile(`FROM debian\nRUN ${script}\n`, { shell: true });
    const run = df.instructions[1] as InstructionOf<"RUN">;
    expect(run.shell.error?.message).toBe("the script is nested too deeply for the shell parser");
    expect(run.shell.error?.range?.start.line).toBe(2);
    expect(run.shell.commands).toEqual([]);
  });
});

describe("parseShellBatch", () => {
  it("falls back when a construct runs across two scripts", () => {
    const parts = [part('echo "abc'), part('echo x"'), part("a &&"), part("b")];
    const batch = parseShellBatch(parts);
    expect(batch).toEqual(parts.map(parseShell));
    expect(batch[0]?.error).toBeDefined();
  });

  it("gives the same commands and ranges as one parse per script on every corpus and seed RUN", () => {
    const texts = readdirSync(join(BUILDKIT_CORPUS, "testfiles")).map((c) =>
      readFileSync(join(BUILDKIT_CORPUS, "testfiles", c, "Dockerfile"), "utf8"),
    );
    texts.push(...seedDockerfiles().map((s) => s.text));
    let compared = 0;
    for (const text of texts) {
      const df = parseDockerfile(text, { strict: false });
      const runs = df.instructions.filter(
        (i): i is InstructionOf<"RUN"> =>
          i.keyword === "RUN" && i.command.form === "shell" && i.heredocs.length === 0,
      );
      for (const r of runs) {
        const command = r.command as { form: "shell"; command: string };
        const alone = parseShell({ script: command.command, source: "script", toRange: () => noRange });
        expect(r.shell.commands.map((c) => [c.name, c.args, c.raw])).toEqual(
          alone.commands.map((c) => [c.name, c.args, c.raw]),
        );
        expect(r.shell.error).toEqual(alone.error);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(80);
  });
});
