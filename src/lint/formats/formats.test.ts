import { readFileSync } from "node:fs";
import Ajv4 from "ajv-draft-04";
import { describe, expect, it } from "vitest";
import { lintText } from "../engine.js";
import { TODAY } from "../test-helpers/rule-cases.js";
import { formatReport, type LintReport } from "./index.js";
import { toJson } from "./json.js";

const source =
  'FROM python:3.9-slim-buster AS builder\nRUN pip install flask && echo "<&>"\nFROM python:3.9-slim-buster\nCOPY --from=builder /usr/local/lib/python3.9/site-packages /usr/local/lib/python3.9/site-packages\nCMD python app.py\n';
const report: LintReport = {
  results: [
    lintText(source, { file: "lab/Dockerfile", now: TODAY }),
    lintText("FROM debian:12\nENV PATH\n", { file: "broken/Dockerfile", now: TODAY }),
  ],
  threshold: "warning",
  toolVersion: "0.1.0",
};

describe("output formats", () => {
  it("SARIF 2.1.0 validates against the OASIS schema", () => {
    const schema = JSON.parse(
      readFileSync(new URL("../testdata/sarif-schema-2.1.0.json", import.meta.url), "utf8"),
    ) as object;
    // The schema is draft-04; ajv-draft-04 speaks that dialect.
    type AjvCtor = new (
      opts: Record<string, unknown>,
    ) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown[] | null } };
    // A CommonJS package: its default export sits on `.default` or is the module itself.
    const Ajv = ((Ajv4 as unknown as { default?: unknown }).default ?? Ajv4) as AjvCtor;
    const ajv = new Ajv({ strict: false, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    const log = JSON.parse(formatReport(report, "sarif")) as { runs: Array<{ results: unknown[] }> };
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(log.runs[0]!.results.length).toBe(report.results.flatMap((r) => r.findings).length);
  });

  it("json carries every finding and a summary", () => {
    const j = toJson(report);
    expect(j.summary.files).toBe(2);
    expect(j.summary.findings).toBe(report.results.flatMap((r) => r.findings).length);
    expect(j.files[1]!.parseFailed).toBe(true);
    expect(j.summary.failing).toBeGreaterThan(0);
  });

  it("tty groups by file and shows the source line with a caret", () => {
    const t = formatReport(report, "tty", { color: false });
    expect(t).toContain("lab/Dockerfile\n");
    expect(t).toContain("5 | CMD python app.py");
    expect(t).toMatch(/\n\s+\| \^{17}\n/);
    expect(t).not.toContain("\u001b[");
    expect(formatReport(report, "tty", { color: true })).toContain("\u001b[");
  });

  it("markdown has one table per file and escapes pipes", () => {
    const m = formatReport(report, "markdown");
    expect(m).toContain("### `lab/Dockerfile`");
    expect(m).toContain("| | line | rule | finding | stage | fix |");
    expect(m.split("\n").filter((l) => l.startsWith("| 🟠")).length).toBeGreaterThan(0);
  });

  it("checkstyle is well-formed XML with escaped messages", () => {
    const x = formatReport(report, "checkstyle");
    expect(x.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(x).toContain('<file name="lab/Dockerfile">');
    expect(x).not.toMatch(/message="[^"]*[<>][^"]*"/);
    expect((x.match(/<error /g) ?? []).length).toBe(report.results.flatMap((r) => r.findings).length);
  });

  it("codeclimate streams one issue per finding, each ended by NUL; gitlab_codeclimate is one array", () => {
    const n = report.results.flatMap((r) => r.findings).length;
    const stream = formatReport(report, "codeclimate");
    expect(stream.endsWith("\u0000")).toBe(true);
    const objs = stream
      .split("\u0000")
      .filter(Boolean)
      .map((t) => JSON.parse(t) as Record<string, unknown>);
    expect(objs).toHaveLength(n);
    const gl = JSON.parse(formatReport(report, "gitlab_codeclimate")) as Array<{
      type: string;
      check_name: string;
      severity: string;
      fingerprint: string;
      categories: string[];
      location: { path: string; lines: { begin: number } };
    }>;
    expect(gl).toEqual(objs);
    const first = report.results[0]!.findings[0]!;
    expect(gl[0]).toMatchObject({
      type: "issue",
      check_name: first.ruleId,
      location: { path: "lab/Dockerfile", lines: { begin: first.range.start.line } },
    });
    expect(new Set(gl.map((i) => i.severity)).size).toBeGreaterThan(0);
    for (const i of gl) {
      expect(["info", "minor", "major", "critical", "blocker"]).toContain(i.severity);
      expect([
        "Bug Risk",
        "Clarity",
        "Compatibility",
        "Complexity",
        "Duplication",
        "Performance",
        "Security",
        "Style",
      ]).toContain(i.categories[0]);
    }
    // Fingerprints are unique, and do not move when a line is added above the finding.
    expect(new Set(gl.map((i) => i.fingerprint)).size).toBe(n);
    const shifted = JSON.parse(
      formatReport(
        {
          ...report,
          results: [
            lintText(`# a comment\n${source}`, { file: "lab/Dockerfile", now: TODAY }),
            report.results[1]!,
          ],
        },
        "gitlab_codeclimate",
      ),
    ) as typeof gl;
    expect(shifted.map((i) => i.fingerprint)).toEqual(gl.map((i) => i.fingerprint));
    expect(shifted[0]?.location.lines.begin).toBe((gl[0]?.location.lines.begin ?? 0) + 1);
  });

  it("no findings print a short all-clear", () => {
    const clean: LintReport = {
      results: [lintText("FROM scratch\nCOPY x /x\n", { now: TODAY })],
      threshold: "warning",
      toolVersion: "0",
    };
    expect(formatReport(clean, "tty", { color: false })).toContain("no findings");
    expect(formatReport(clean, "markdown")).toContain("No findings");
  });
});
