/**
 * Golden directories: testdata/ok/<case>/{Dockerfile,expected.txt} and
 * testdata/bad/<case>/{Dockerfile,error.txt}. Adding a case is adding a
 * directory; `UPDATE_GOLDEN=1 npx vitest run src/dockerfile/golden.test.ts`
 * rewrites the expected files (review them in the diff).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isSlimstageError } from "../errors.js";
import { dumpBuildkit } from "./buildkit-dump.js";
import { expand } from "./expand.js";
import type { Dockerfile, Instruction } from "./model.js";
import { parseDockerfile } from "./parser.js";
import { printDockerfile } from "./printer.js";
import { buildStageGraph } from "./stage-graph.js";

const DATA = join(dirname(fileURLToPath(import.meta.url)), "testdata");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

const DROP = new Set([
  "kind",
  "raw",
  "range",
  "imageRange",
  "stageNameRange",
  "markerRange",
  "bodyRange",
  "shell",
  "stage",
  "heredocs",
  "flag",
  "innerComments",
]);

function typed(ins: Instruction): string {
  return JSON.stringify(ins, (k, v: unknown) => {
    if (DROP.has(k)) return undefined;
    if (k === "flags") return (v as { raw: string }[]).map((f) => f.raw);
    return v;
  });
}

function lines(ins: Instruction): string {
  const { start, end } = ins.range;
  return `L${start.line}:${start.column}-${end.line}:${end.column}`;
}

function summarize(df: Dockerfile): string {
  const out: string[] = ["== buildkit dump", dumpBuildkit(df).trimEnd(), "== directives"];
  for (const d of df.directives) out.push(`${d.name}=${d.value}`);
  out.push("== instructions");
  for (const ins of df.instructions) {
    out.push(`${lines(ins)} ${typed(ins)}`);
    for (const h of ins.heredocs) {
      out.push(
        `  heredoc ${JSON.stringify({ name: h.name, chomp: h.chomp, expand: h.expand, fd: h.fd, content: h.content })} marker L${h.markerRange.start.line}:${h.markerRange.start.column} body L${h.bodyRange.start.line}-${h.bodyRange.end.line}`,
      );
    }
    const all = ins.keyword === "ONBUILD" ? ins.trigger : ins;
    if (all.keyword === "RUN") {
      if (all.shell.error) out.push(`  shell error: ${all.shell.error.message}`);
      for (const c of all.shell.commands) {
        out.push(
          `  cmd L${c.range.start.line}:${c.range.start.column}-${c.range.end.line}:${c.range.end.column} [${c.source}] ${JSON.stringify([c.name, ...c.args])}`,
        );
      }
    }
  }
  out.push("== stages");
  const graph = buildStageGraph(df);
  for (const s of graph.stages) {
    out.push(
      JSON.stringify({
        ...s,
        deps: s.deps.map((d) => `${d.kind}:${d.from}->${d.to}@L${d.range.start.line}`),
      }),
    );
  }
  out.push(`target=${graph.target} order=${graph.order.join(",")}`);
  out.push("== expansion");
  const x = expand(df);
  out.push(`global ${JSON.stringify(x.globalArgs)}`);
  for (const s of x.stages) {
    out.push(
      `stage ${s.index} base=${s.baseImage} env=${JSON.stringify(s.env)} vars=${JSON.stringify(s.vars)}`,
    );
    for (const ei of s.instructions)
      if (ei.words) out.push(`  ${ei.instruction.keyword} ${JSON.stringify(ei.words)}`);
  }
  if (df.warnings.length) {
    out.push("== warnings");
    for (const w of df.warnings) out.push(`L${w.range.start.line}: ${w.message}`);
  }
  return `${out.join("\n")}\n`;
}

function check(dir: string, name: string, actual: string): void {
  const path = join(dir, name);
  if (UPDATE || !existsSync(path)) {
    writeFileSync(path, actual);
    if (!UPDATE) throw new Error(`${path} was missing and has been written: review it and run again`);
    return;
  }
  expect(actual).toBe(readFileSync(path, "utf8"));
}

describe("golden: testdata/ok", () => {
  for (const c of readdirSync(join(DATA, "ok")).sort()) {
    it(c, () => {
      const dir = join(DATA, "ok", c);
      const text = readFileSync(join(dir, "Dockerfile"), "utf8");
      const df = parseDockerfile(text, { file: "Dockerfile" });
      expect(printDockerfile(df)).toBe(text);
      check(dir, "expected.txt", summarize(df));
    });
  }
});

describe("golden: testdata/bad", () => {
  for (const c of readdirSync(join(DATA, "bad")).sort()) {
    it(c, () => {
      const dir = join(DATA, "bad", c);
      const text = readFileSync(join(dir, "Dockerfile"), "utf8");
      let err: unknown;
      try {
        const df = parseDockerfile(text, { file: "Dockerfile" });
        buildStageGraph(df);
        expand(df);
      } catch (e) {
        err = e;
      }
      if (!isSlimstageError(err)) throw new Error(`expected a typed error, got ${String(err)}`);
      expect(err.kind).toBe("input");
      const loc = err.location;
      expect(loc, "error has a location").toBeDefined();
      check(dir, "error.txt", `${loc?.line}:${loc?.column}: ${err.message}\n  ${err.sourceLine ?? ""}\n`);
    });
  }
});
