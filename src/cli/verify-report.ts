import { describeProbe } from "../verify/probe-spec.js";
import type { VerifyResult } from "../verify/types.js";

interface Formatters {
  verbose: boolean;
  formatMs(ms: number): string;
  formatBytes(n: number): string;
}

/** What a passed verification covered, in a few words: the request set against the original, or the probes. */
export function verifiedCoverage(result: VerifyResult): string {
  const d = result.differential;
  const probes = result.probes.map((p) => describeProbe(p.probe));
  const health = result.healthcheck ? ", and its HEALTHCHECK exited 0" : "";
  return d
    ? `${d.requests.length} requests, ${d.identical} identical to the original ${d.against}${d.masked.length ? ` (${d.masked.length} with masked run-to-run differences)` : ""}${health}`
    : `${probes.length} probe${probes.length === 1 ? "" : "s"} (${probes.join(", ")})${health}`;
}

/**
 * The terminal form of a verification: every probe, the request set of a
 * differential run, and on failure what failed, what was expected and what
 * came back, with the app's last lines. `out` goes to stdout, `err` to stderr.
 */
export function formatVerifyReport(result: VerifyResult, f: Formatters): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  for (const w of result.warnings ?? []) err.push(`note: ${w}`);
  for (const p of result.probes) out.push(`${p.ok ? "ok  " : "FAIL"} ${describeProbe(p.probe)}: ${p.detail}`);
  for (const s of result.sidecars)
    out.push(`     sidecar ${s.service} (${s.image}) ready in ${f.formatMs(s.readyMs)}`);
  const d = result.differential;
  if (d) {
    const shown = f.verbose
      ? d.requests
      : d.requests
          .filter((r) => r.verdict === "differs")
          .concat(d.requests.filter((r) => r.verdict !== "differs"))
          .slice(0, 40);
    for (const r of shown) {
      const mark = r.verdict === "differs" ? "DIFF" : r.verdict === "identical" ? "same" : "same*";
      const status = `${r.original.error ? "no answer" : r.original.status}${r.candidate && !r.candidate.error && r.candidate.status !== r.original.status ? ` -> ${r.candidate.status}` : ""}`;
      out.push(
        `${mark.padEnd(5)} ${r.request} [${r.source}] ${status}${r.verdict === "differs" && r.detail ? `: ${r.detail}` : ""}`,
      );
    }
    if (shown.length < d.requests.length)
      out.push(`      ... ${d.requests.length - shown.length} more (all: --verbose or --json)`);
    for (const m of d.masked) out.push(`mask  ${m.request}: ${m.what}`);
    if (d.truncated.length > 0)
      out.push(
        `note: discovery stopped at its bound (${d.truncated.join(", ")}); raise --max-requests to go further`,
      );
  }
  const parts = [
    result.startupMs !== undefined ? `start-up ${f.formatMs(result.startupMs)}` : undefined,
    result.peakMemoryBytes !== undefined ? `peak memory ${f.formatBytes(result.peakMemoryBytes)}` : undefined,
  ].filter(Boolean);
  if (result.ok) {
    const covered = verifiedCoverage(result);
    out.push(
      `verified ${result.image}: ${covered}${result.liveness?.ok ? `, up ${f.formatMs(result.liveness.graceMs)} after the last request` : ""}${parts.length ? `; ${parts.join(", ")}` : ""}`,
    );
    if (result.tcpOnly?.length)
      out.push(`note: verified by TCP only on ${result.tcpOnly.join(", ")}: the port does not answer HTTP`);
    return { out, err };
  }
  out.push(`FAILED ${result.image}${parts.length ? `: ${parts.join(", ")}` : ""}`);
  err.push(`slimstage: verification failed: ${result.error ?? "a probe failed"}`);
  if (result.failedProbe) {
    err.push(`  failing: ${result.failedProbe.probe}`);
    err.push(`  expected: ${result.failedProbe.expected}`);
    err.push(`  got: ${result.failedProbe.got}`);
  }
  if (result.logs !== undefined) {
    const lines = result.logs.trimEnd().split("\n");
    const tail = f.verbose ? lines : lines.slice(-30);
    err.push(
      `--- container output${tail.length < lines.length ? ` (last ${tail.length} lines; all: --verbose)` : ""} ---`,
    );
    err.push(tail.join("\n") || "(no output)");
  }
  for (const [svc, l] of Object.entries(result.sidecarLogs ?? {})) {
    err.push(`--- sidecar ${svc} output ---`);
    err.push(l.trimEnd().split("\n").slice(-15).join("\n") || "(no output)");
  }
  return { out, err };
}
