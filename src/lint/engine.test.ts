import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { applyFixes } from "./autofix.js";
import { DEFAULT_CONFIG, parseConfig } from "./config.js";
import { lintText } from "./engine.js";
import { RULES } from "./rules/index.js";
import { TODAY } from "./test-helpers/rule-cases.js";

const lint = (text: string, config = DEFAULT_CONFIG) => lintText(text, { now: TODAY, config });
const ids = (text: string, config = DEFAULT_CONFIG) => lint(text, config).findings.map((f) => f.ruleId);

describe("engine", () => {
  it("a Dockerfile that does not parse gives one parse finding with its location", () => {
    const r = lint("FROM debian:12\nENV PATH\n");
    expect(r.parseFailed).toBe(true);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.ruleId).toBe("SS000");
    expect(r.findings[0]!.range.start.line).toBe(2);
  });

  it("empty input is a parse finding, not a crash", () => {
    expect(lint("").findings[0]!.ruleId).toBe("SS000");
  });

  it("# slimstage ignore= silences the next instruction only", () => {
    const text = "FROM python:3.12\n# slimstage ignore=SS105\nRUN pip install a\nRUN pip install b\n";
    const f = lint(text).findings.filter((x) => x.ruleId === "SS105");
    expect(f.map((x) => x.range.start.line)).toEqual([4]);
  });

  it("slugs work in pragmas, global pragmas silence the file", () => {
    const text =
      "# slimstage global ignore=pip-no-cache-dir\nFROM python:3.12\nRUN pip install a\nRUN pip install b\n";
    expect(ids(text)).not.toContain("SS105");
  });

  it("# hadolint ignore=DL3042 silences the mapped rule", () => {
    const text = "FROM python:3.12\n# hadolint ignore=DL3042,DL3008\nRUN pip install a\n";
    expect(ids(text)).not.toContain("SS105");
    expect(ids(text)).not.toContain("SS001");
  });

  it("unknown ids in pragmas are reported", () => {
    const r = lint("FROM python:3.12\n# slimstage ignore=SS999\nRUN true\n");
    const f = r.findings.find((x) => x.ruleId === "SS001");
    expect(f?.message).toContain("SS999");
    expect(f?.range.start.line).toBe(2);
  });

  it("config ignore and severity overrides apply after the rules ran", () => {
    const text = "FROM python:3.12\nRUN pip install a\n";
    expect(ids(text, { ...DEFAULT_CONFIG, ignore: ["SS105"] })).not.toContain("SS105");
    const r = lint(text, { ...DEFAULT_CONFIG, severity: { "pip-no-cache-dir": "error", SS307: "off" } });
    expect(r.findings.find((f) => f.ruleId === "SS105")?.severity).toBe("error");
    expect(r.findings.some((f) => f.ruleId === "SS307")).toBe(false);
  });

  it("an unknown --target is an input error; a known one moves the final image", () => {
    const text = "FROM python:3.12 AS dev\nRUN pip install pytest\nFROM python:3.12-slim AS prod\nUSER app\n";
    expect(() => lintText(text, { target: "nope" })).toThrow(/no such stage/);
    expect(lintText(text, { target: "dev", now: TODAY }).findings.map((f) => f.ruleId)).toContain("SS108");
    expect(lintText(text, { now: TODAY }).findings.map((f) => f.ruleId)).not.toContain("SS108");
  });

  it("findings carry full ranges and the stage name", () => {
    const r = lint("FROM python:3.12 AS app\nRUN pip install flask\n");
    const f = r.findings.find((x) => x.ruleId === "SS105")!;
    expect(f.range).toEqual({
      file: "Dockerfile",
      start: { line: 2, column: 5 },
      end: { line: 2, column: 22 },
    });
    expect(f.stage).toBe("app");
  });
});

describe("config", () => {
  it("reads YAML and reports unknown rule ids with their place", () => {
    const cfg = parseConfig(
      "ignore:\n  - SS105\n  - SS999\nseverity:\n  no-user: error\nfailureThreshold: error\n",
      ".slimstage.yaml",
      RULES,
    );
    expect(cfg.config.failureThreshold).toBe("error");
    expect(cfg.problems).toHaveLength(1);
    expect(cfg.problems[0]).toMatchObject({ key: "ignore[1]", line: 3 });
  });

  it("a broken config names the key and the reason", () => {
    const bad = (text: string) => {
      try {
        parseConfig(text, "slimstage.config.json", RULES);
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error("no error");
    };
    const e1 = bad('{"failureThreshold": "sometimes"}');
    expect(e1).toBeInstanceOf(ConfigError);
    expect(e1.key).toBe("failureThreshold");
    expect(e1.message).toContain("must be one of");
    expect(bad('{"severity": {"SS105": "loud"}}').key).toBe("severity.SS105");
    const e3 = bad('{"ignroe": []}');
    expect(e3.key).toBe("ignroe");
    expect(e3.message).toContain("unknown key");
    expect(bad('{"eol": {"warnDays": -1}}').key).toBe("eol.warnDays");
    const e5 = bad("{ not json");
    expect(e5.location?.line).toBe(1);
  });
});

describe("autofix", () => {
  it("fixes mechanical findings and keeps untouched lines byte for byte", () => {
    const text =
      "FROM python:3.12-slim as app\n# keep   this  comment\nRUN pip install flask \\\n    gunicorn\nENV A 1\nCMD python app.py\n";
    const out = applyFixes(lint(text));
    expect(out.text).toBe(
      'FROM python:3.12-slim AS app\n# keep   this  comment\nRUN pip install --no-cache-dir flask \\\n    gunicorn\nENV A=1\nCMD ["python", "app.py"]\n',
    );
    expect(out.diff).toContain("+RUN pip install --no-cache-dir flask \\");
    // Linting the fixed text finds none of the fixed problems again.
    const again = lint(out.text).findings.map((f) => f.ruleId);
    for (const id of ["SS105", "SS508", "SS501", "SS509"]) expect(again).not.toContain(id);
  });

  it("leaves a file without fixable findings unchanged", () => {
    const text = "FROM python:3.12-slim\nUSER app\n";
    expect(applyFixes(lint(text)).text).toBe(text);
  });
});
