/**
 * A hand-built run with three variants (one failed, one unverified), hostile
 * text in names and messages, build-only content and findings: what the
 * renderer tests and the headless-browser test draw.
 */
import { REPORT_DATA_SCHEMA_ID, type ReportData } from "../report-data.js";
import { analysis, variant, verified } from "./fixtures.js";

export const HOSTILE = `<script>document.title="pwned"</script><img src="http://127.0.0.1:9/x.png">`;

export function sampleRun(): ReportData {
  const single = variant("single", 430e6, {
    analysis: analysis(430e6, {
      wastedBytes: 30e6,
      byOwnerKind: [
        { kind: "os-package", bytes: 300e6 },
        { kind: "python", bytes: 80e6 },
        { kind: "app", bytes: 1e6 },
        { kind: "cache", bytes: 19e6 },
      ],
      buildOnlyBytes: 250e6,
      buildOnlyByCategory: [
        { category: "toolchain", label: "compilers and toolchains", bytes: 200e6 },
        { category: "headers", label: "headers", bytes: 30e6 },
        { category: "pm-cache", label: "package-manager caches", bytes: 20e6 },
      ],
      layers: [
        { index: 0, sizeBytes: 75e6, createdBy: "debootstrap bookworm" },
        { index: 1, sizeBytes: 59e6, createdBy: "COPY python /usr/local" },
        {
          index: 2,
          sizeBytes: 290e6,
          createdBy: "RUN apt-get install -y build-essential && pip install -r r.txt",
        },
        { index: 3, sizeBytes: 6e6, createdBy: "COPY . /app" },
      ],
      findings: [{ id: "pip-cache", message: "pip's cache is in the image: /root/.cache/pip", bytes: 19e6 }],
    }),
    verify: verified(true, { startupMs: 1200, peakMemoryBytes: 45e6 }),
    lint: [
      {
        ruleId: "SS101",
        severity: "warning",
        message: "apt-get install without --no-install-recommends",
        file: "Dockerfile",
        line: 3,
        column: 5,
      },
    ],
  });
  const multi = variant("multi", 143e6, {
    verify: verified(true, { startupMs: 900, peakMemoryBytes: 30e6 }),
    lint: [],
  });
  const broken = variant(`slim ${HOSTILE}`, 60e6, {
    ref: `lab:${HOSTILE}`,
    verify: verified(false, {
      logsTail: `Traceback:\n  ModuleNotFoundError: No module named 'flask' ${HOSTILE}`,
    }),
  });
  const unverified = variant("distroless", 90e6);
  return {
    schema: REPORT_DATA_SCHEMA_ID,
    title: `lab 003 ${HOSTILE}`,
    createdAt: "2026-11-22T12:00:00.000Z",
    baseline: "single",
    variants: [single, multi, broken, unverified],
  };
}
