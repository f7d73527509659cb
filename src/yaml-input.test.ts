/**
 * Bad config is bad input (issue #16, finding 4): YAML alias bombs and
 * over-deep documents in .slimstage.yaml, lab.yaml and compose files are a
 * ConfigError with file and line (exit 2), in every format.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../test/cli.js";
import { ConfigError } from "./errors.js";
import { parseLab } from "./lab/load-lab.js";
import { parseConfig } from "./lint/config.js";
import { RULES } from "./lint/rules/index.js";
import { parseCompose } from "./verify/compose.js";
import { readYaml } from "./yaml-input.js";

/** Billion laughs: 9 levels of 9 aliases each, 9^9 nodes if expanded. Line 1 holds the first alias. */
function aliasBomb(): string {
  let text = "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (let i = 1; i <= 9; i++)
    text += `x${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(", ")}]\n`;
  return text;
}

const deepFlow = `a: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n`;

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("readYaml", () => {
  it("reads ordinary YAML with anchors", () => {
    const r = readYaml("a: &x {b: 1}\nc: *x\n", "f.yaml", { invalid: "f.yaml is not valid YAML" });
    expect(r.data).toEqual({ a: { b: 1 }, c: { b: 1 } });
  });

  it("an alias bomb is a ConfigError at the first alias", () => {
    const e = thrown(() => readYaml(aliasBomb(), "f.yaml", { invalid: "bad" }));
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).message).toMatch(/f\.yaml: aliases expand to too many nodes/);
    expect((e as ConfigError).location).toEqual({ file: "f.yaml", line: 2, column: 10 });
  });

  it("a document nested 50,000 deep is a ConfigError with a line", () => {
    const e = thrown(() => readYaml(deepFlow, "f.yaml", { invalid: "f.yaml is not valid YAML" }));
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).location?.line).toBe(1);
  });
});

describe("every YAML reader maps the bomb to ConfigError", () => {
  it.each([
    ["lint config", () => parseConfig(aliasBomb(), ".slimstage.yaml", RULES)],
    ["lab.yaml", () => parseLab(aliasBomb(), "lab.yaml", "/tmp")],
    ["compose", () => parseCompose(aliasBomb(), "compose.yaml", {})],
  ])("%s", (_name, f) => {
    const e = thrown(f);
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).location?.line).toBe(2);
  });
});

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "slimstage-yaml-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the CLI exits 2 with file and line", () => {
  it.each(["tty", "json"])(
    "lint with a bombed .slimstage.yaml (-f %s)",
    async (format) => {
      writeFileSync(join(dir, ".slimstage.yaml"), aliasBomb());
      writeFileSync(join(dir, "Dockerfile"), "FROM scratch\n");
      const args = ["lint", "Dockerfile", "--config", ".slimstage.yaml", "-f", format];
      const r = await runCli(format === "json" ? [...args, "--json"] : args, { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(`${r.stdout}${r.stderr}`).toMatch(/\.slimstage\.yaml/);
      expect(`${r.stdout}${r.stderr}`).toMatch(/alias/);
      if (format === "json") expect(JSON.parse(r.stdout).error.location.line).toBe(2);
      else expect(r.stderr).toMatch(/\.slimstage\.yaml:2:10: /);
    },
    60_000,
  );
});
