/** Hand-built variants for the unit tests of compare and the report (no engine). */
import type { AnalysisSummary, VariantData, VerifySummary } from "../report-data.js";

export function analysis(sizeBytes: number, over: Partial<AnalysisSummary> = {}): AnalysisSummary {
  const layers = over.layers ?? [
    { index: 0, sizeBytes: Math.round(sizeBytes * 0.6), createdBy: "debootstrap rootfs" },
    {
      index: 1,
      sizeBytes: sizeBytes - Math.round(sizeBytes * 0.6),
      createdBy: "RUN pip install -r requirements.txt",
    },
  ];
  return {
    sizeBytes,
    compressedBytes: Math.round(sizeBytes * 0.4),
    compressedEstimated: true,
    layers,
    wastedBytes: 0,
    buildOnlyBytes: 0,
    packageCount: 100,
    byOwnerKind: [
      { kind: "os-package", bytes: Math.round(sizeBytes * 0.5) },
      { kind: "python", bytes: Math.round(sizeBytes * 0.3) },
      { kind: "app", bytes: sizeBytes - Math.round(sizeBytes * 0.5) - Math.round(sizeBytes * 0.3) },
    ],
    topOwners: [
      { kind: "os-package", name: "libc6", bytes: Math.round(sizeBytes * 0.1) },
      { kind: "python", name: "flask", bytes: Math.round(sizeBytes * 0.05) },
    ],
    buildOnlyByCategory: [],
    findings: [],
    ...over,
  };
}

export function verified(passed: boolean, over: Partial<VerifySummary> = {}): VerifySummary {
  return {
    passed,
    startupMs: passed ? 850 : null,
    peakMemoryBytes: passed ? 32_000_000 : null,
    probes: [{ name: "http://:5000/", ok: passed, ...(passed ? {} : { detail: "connection refused" }) }],
    ...(passed ? {} : { error: "probe http://:5000/ failed: connection refused" }),
    ...over,
  };
}

export function variant(name: string, sizeBytes: number, over: Partial<VariantData> = {}): VariantData {
  return { name, ref: `lab000:${name}`, analysis: analysis(sizeBytes), ...over };
}
