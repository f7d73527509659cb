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

/** The sample run as `slimstage lab` reports it: with claims, one of them not as the lab expects. */
export function sampleLabRun(): ReportData {
  const run = sampleRun();
  const minified = variant("minified", 26.4e6, {
    ref: "slimstage-lab/lab-000-minified:multi",
    verify: verified(true, { startupMs: 850, peakMemoryBytes: 21e6 }),
    minify: {
      level: "safe",
      source: { files: 7108, bytes: 136_657_321 },
      kept: { files: 1236, bytes: 18_900_000 },
      removed: { files: 5872, bytes: 117_757_321 },
      compiled: { files: 402, bytes: 7_500_000, sourceFiles: 402, sourceBytes: 6_800_000 },
      removedByOwner: [
        { owner: "python:cpython", files: 778, bytes: 14_700_000 },
        { owner: "debian:perl-base", files: 614, bytes: 7_300_000 },
        { owner: `npm:${HOSTILE}`, files: 1, bytes: 10 },
      ],
      keptByReason: [
        { reason: "traced", files: 493, bytes: 17_600_000 },
        { reason: "unit", files: 283, bytes: 900_000 },
      ],
      warnings: [`thin trace: python:jinja2 has modules loaded by computed names ${HOSTILE}`],
    },
  });
  return {
    ...run,
    variants: [...run.variants, minified],
    claims: [
      {
        id: "multi-smaller",
        text: "The multi-stage image is much smaller than the single-stage one.",
        verdict: true,
        measured: "multi 140.4 MB vs single 430 MB: 289.6 MB (67.3%) smaller; the claim needs at least 30%",
        why: "multi is 289.6 MB smaller than single: -185.6 MB compilers and toolchains (gcc-12, g++-12, cpp-12)",
        expected: true,
        asExpected: true,
      },
      {
        id: "slim-works",
        text: `The slim image still works ${HOSTILE}`,
        verdict: false,
        measured: "the image built but failed its probe",
        why: `probe http :5000/ failed: ModuleNotFoundError: No module named 'flask' ${HOSTILE}`,
        expected: true,
        asExpected: false,
      },
      {
        id: "single-has-gcc",
        text: "The single-stage image keeps the build tools.",
        verdict: true,
        measured: "2 of 2 present",
        why: "single contains gcc-12 69.3 MB, make 1.2 MB",
        asExpected: true,
      },
      {
        id: "distroless-smallest",
        text: "The distroless image is the smallest that works.",
        verdict: null,
        measured: "not measured",
        why: "distroless was not verified",
        expected: false,
        asExpected: false,
      },
    ],
  };
}
