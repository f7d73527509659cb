import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { findHadolintConfig, loadHadolintConfig } from "./hadolint-config.js";
import { lintFiles } from "./lint-files.js";
import { RULES } from "./rules/index.js";

const dirs: string[] = [];
function project(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), "slimstage-hadolint-"));
  dirs.push(d);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const DOCKERFILE =
  'FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl\nUSER nobody\nCMD ["curl", "--version"]\n';

describe(".hadolint.yaml", () => {
  it("ignored, override and failure-threshold change the output and the exit code as in hadolint", () => {
    const plain = project({ Dockerfile: DOCKERFILE });
    const before = lintFiles(["Dockerfile"], { cwd: plain });
    const ids = before.report.results[0]!.findings.map((f) => f.ruleId);
    expect(ids).toContain("SS101");
    expect(before.failed).toBe(true);

    const tuned = project({
      Dockerfile: DOCKERFILE,
      ".hadolint.yaml":
        "ignored: [DL3015]\nfailure-threshold: error\noverride:\n  info: [DL3009]\ntrustedRegistries: [docker.io]\n",
    });
    const after = lintFiles(["Dockerfile"], { cwd: tuned });
    const found = after.report.results.at(-1)!.findings;
    expect(found.map((f) => f.ruleId)).not.toContain("SS101");
    expect(found.find((f) => f.ruleId === "SS102")?.severity).toBe("info");
    expect(after.config.failureThreshold).toBe("error");
    expect(after.config.trustedRegistries).toEqual(["docker.io"]);
    expect(after.failed).toBe(false);
  });

  it("a slimstage config wins over a hadolint one", () => {
    const d = project({ ".slimstage.yaml": "ignore: [SS307]\n", ".hadolint.yaml": "ignored: [DL3015]\n" });
    expect(lintFiles([], { cwd: d }).config.ignore).toEqual(["SS307"]);
  });

  it("is found under XDG_CONFIG_HOME when the directory has none", () => {
    const xdg = project({ "hadolint.yaml": "ignored: [DL3008]\n" });
    const here = project({});
    expect(findHadolintConfig(here, { XDG_CONFIG_HOME: xdg })).toBe(join(xdg, "hadolint.yaml"));
  });

  it("refuses a bad failure-threshold with its line", () => {
    const d = project({ ".hadolint.yaml": "ignored: []\nfailure-threshold: loud\n" });
    expect(() => loadHadolintConfig(join(d, ".hadolint.yaml"), RULES)).toThrow(ConfigError);
    try {
      loadHadolintConfig(join(d, ".hadolint.yaml"), RULES);
    } catch (e) {
      expect((e as ConfigError).location?.line).toBe(2);
    }
  });
});

describe("hadolint habits on the command line", () => {
  it("--ignore takes DL codes", () => {
    const d = project({ Dockerfile: DOCKERFILE });
    const res = lintFiles(["Dockerfile"], { cwd: d, ignore: ["DL3015", "DL3009"] });
    const ids = res.report.results[0]!.findings.map((f) => f.ruleId);
    expect(ids).not.toContain("SS101");
    expect(ids).not.toContain("SS102");
  });

  it("- lints standard input", () => {
    const d = project({});
    const res = lintFiles(["-"], { cwd: d, stdin: DOCKERFILE });
    expect(res.report.results[0]!.file).toBe("-");
    expect(res.report.results[0]!.findings.map((f) => f.ruleId)).toContain("SS101");
  });

  it("slimstage pragmas accept DL codes", () => {
    const d = project({
      Dockerfile: `# slimstage ignore=DL3015\n${DOCKERFILE.replace("FROM debian:12-slim\n", "")}`.replace(
        /^/,
        "FROM debian:12-slim\n",
      ),
    });
    const ids = lintFiles(["Dockerfile"], { cwd: d }).report.results[0]!.findings.map((f) => f.ruleId);
    expect(ids).not.toContain("SS001");
    expect(ids).not.toContain("SS101");
  });
});
