/**
 * The suite's closing line. Counting tests alone reports a run as clean when a
 * file's set-up threw (its tests are only skipped), so here failed files and
 * set-up errors count as failures, every skipped test is named with its reason,
 * and, since the suite has no intentional skips, a skip that no failed set-up
 * explains is a failure too. The verdict also goes to a file, which
 * scripts/test.sh reads for its exit status.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Reporter, SerializedError, TestModule, TestSuite } from "vitest/node";

export interface SuiteSummary {
  ok: boolean;
  passed: number;
  failed: number;
  skipped: { test: string; reason: string }[];
  failedFiles: string[];
  setupErrors: string[];
  unhandledErrors: number;
}

const SUMMARY_FILE = process.env.SLIMSTAGE_TEST_SUMMARY ?? "test-artifacts/summary.json";

const firstLine = (e: SerializedError): string =>
  (e.message ?? String(e))
    .split("\n")
    .find((l) => l.trim() !== "")
    ?.trim() ?? "unknown error";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    const s: SuiteSummary = {
      ok: true,
      passed: 0,
      failed: 0,
      skipped: [],
      failedFiles: [],
      setupErrors: [],
      unhandledErrors: unhandled.length,
    };
    for (const mod of modules) {
      const file = mod.relativeModuleId;
      // Errors of the module itself (import, syntax) and of its suites' hooks.
      const setup: string[] = mod.errors().map((e) => `${file}: ${firstLine(e)}`);
      const suites: TestSuite[] = [...mod.children.allSuites()];
      for (const suite of suites)
        for (const e of suite.errors()) setup.push(`${file} > ${suite.fullName}: ${firstLine(e)}`);
      s.setupErrors.push(...setup);
      let fileFailed = setup.length > 0 || mod.state() === "failed";
      for (const test of mod.children.allTests()) {
        const r = test.result();
        const name = `${file} > ${test.fullName}`;
        if (r.state === "passed") s.passed++;
        else if (r.state === "failed") {
          s.failed++;
          fileFailed = true;
        } else {
          const reason =
            r.state === "skipped" && r.note ? r.note : setup[0] ? `set-up failed: ${setup[0]}` : "";
          s.skipped.push({
            test: name,
            reason: reason || "no reason recorded (the suite has no intentional skips)",
          });
          if (!reason) fileFailed = true;
        }
      }
      if (fileFailed) s.failedFiles.push(file);
    }
    s.ok =
      s.failed === 0 && s.failedFiles.length === 0 && s.setupErrors.length === 0 && s.unhandledErrors === 0;
    mkdirSync(dirname(SUMMARY_FILE), { recursive: true });
    writeFileSync(SUMMARY_FILE, `${JSON.stringify(s, null, 2)}\n`);

    const lines = [
      ...s.setupErrors.map((e) => `SET-UP ERROR ${e}`),
      ...s.skipped.map((k) => `SKIPPED ${k.test}: ${k.reason}`),
      `Tests: ${s.passed} passed, ${s.failed} failed, ${s.skipped.length} skipped; files: ${modules.length - s.failedFiles.length} passed, ${s.failedFiles.length} failed; set-up errors: ${s.setupErrors.length}; unhandled errors: ${s.unhandledErrors}${s.ok ? "" : " (FAILED)"}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  }
}
