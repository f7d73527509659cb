/** `slimstage parse` end to end, as a subprocess (exit codes, stdout, stderr). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, runCli } from "../../test/cli.js";
import { BUILDKIT_CORPUS } from "./test-corpus.js";

const slimstage = (...args: string[]): Promise<CliResult> => runCli(args, { env: { NO_COLOR: "1" } });

// Made when the tests start (not on import: `vitest list` imports without running afterAll).
let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "slimstage-parse-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe("slimstage parse", () => {
  it("--dump buildkit reproduces BuildKit's result", async () => {
    const c = join(BUILDKIT_CORPUS, "testfiles", "lk4d4-the-edge-case-generator");
    const r = await slimstage("parse", "--dump", "buildkit", join(c, "Dockerfile"));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(c, "result"), "utf8"));
  });

  it("--print round-trips and --stages shows the graph", async () => {
    const text = "FROM a AS b\nRUN x \\\n  # c\n  y\n\nFROM b\nCOPY --from=b /x /y\n";
    const p = file("Dockerfile.multi", text);
    const printed = await slimstage("parse", "--print", p);
    expect(printed.stdout).toBe(text);
    const stages = await slimstage("parse", "--stages", p);
    expect(stages.code).toBe(0);
    expect(stages.stdout).toContain("0 b  FROM a  [final image]");
    const json = await slimstage("--json", "parse", "--stages", "--target", "b", p);
    expect(JSON.parse(json.stdout)).toMatchObject({ target: 0, order: [0] });
  });

  it("--json prints the model with expansion", async () => {
    const p = file("Dockerfile.json", "ARG V=1\nFROM a:$V\nRUN echo hi && ls\n");
    const r = await slimstage("--json", "parse", "--build-arg", "V=2", p);
    expect(r.code).toBe(0);
    const model = JSON.parse(r.stdout);
    expect(model.stages[0].from.image).toBe("a:$V");
    expect(model.expansion.stages[0].baseImage).toBe("a:2");
    expect(model.instructions[2].shell.commands.map((c: { name: string }) => c.name)).toEqual(["echo", "ls"]);
  });

  it.each([
    ["unterminated heredoc", "FROM a\nRUN <<EOF\nx\n", /:2:1: unterminated heredoc/],
    ["unknown instruction", "FROM a\nFRUM b\n", /:2:1: unknown instruction: FRUM/],
    ["bad flag", "FROM a\nRUN --mnt=x y\n", /:2:5: RUN: unknown flag: mnt/],
    ["nested JSON", 'FROM a\nCMD ["a", ["b"]]\n', /:2:1: when using JSON array syntax/],
  ])("%s: exit 2, line:column and the offending line, no stack trace", async (_name, text, message) => {
    const p = file("Dockerfile.bad", text);
    const r = await slimstage("parse", p);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(`  ${text.split("\n")[1]}\n`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("unknown stage and cycle: exit 2", async () => {
    const cycle = file(
      "Dockerfile.cycle",
      "FROM a AS x\nCOPY --from=y / /\nFROM a AS y\nCOPY --from=x / /\n",
    );
    const r1 = await slimstage("parse", "--stages", cycle);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/:4:6: circular dependency detected on stage/);
    const r2 = await slimstage("parse", "--stages", "--target", "nope", cycle);
    expect(r2.code).toBe(2);
    const missing = file("Dockerfile.missing", "FROM a\nCOPY --from=4 / /\n");
    const r3 = await slimstage("parse", "--stages", missing);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/invalid stage index 4/);
  });

  it("a missing file is an input error", async () => {
    const r = await slimstage("parse", join(dir, "nope"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such file/);
  });
});
