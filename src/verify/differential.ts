import { VerifyError } from "../errors.js";
import { difference, learnMask, sha256 } from "./mask.js";
import { describeProbe } from "./probe-spec.js";
import {
  DEFAULT_DISCOVERY_LIMITS,
  type DiscoveredRequest,
  type DiscoveryLimits,
  discover,
  type Exchange,
  send,
} from "./probes/discovery.js";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "./probes/kind.js";
import type {
  AnswerSummary,
  DifferentialEvidence,
  Probe,
  RequestEvidence,
  VerifyOptions,
  VerifyResult,
} from "./types.js";
import { type RunSession, verifyWithSession } from "./verify.js";

export interface DifferentialOptions extends VerifyOptions {
  /** The original image: its answers define what the candidate (`image`) must answer. */
  against: string;
  /** Bounds of discovery (requests, depth, bytes, time). */
  discovery?: Partial<DiscoveryLimits>;
}

/** The seeds of discovery: the user's HTTP probes as requests, or GET / on each probed port. */
export function seedsOf(probes: readonly Probe[], ports: readonly number[]): DiscoveredRequest[] {
  const http = probes.filter((p) => p.kind === "http");
  const seeds: DiscoveredRequest[] = http.map((p) => ({
    method: p.method ?? "GET",
    port: p.port,
    path: p.path,
    ...(p.headers ? { headers: p.headers } : {}),
    ...(p.body !== undefined ? { body: p.body } : {}),
    source: p.fallbackToTcp ? "default" : "probe",
  }));
  for (const port of ports)
    if (!seeds.some((s) => s.port === port && s.path === "/" && s.method === "GET"))
      seeds.push({ method: "GET", port, path: "/", source: "default" });
  return seeds;
}

const requestName = (r: DiscoveredRequest) => `${r.method} :${r.port}${r.path}`;

function summary(x: Exchange): AnswerSummary {
  const a = x.answer;
  if (!a)
    return { status: 0, contentType: "", bytes: 0, sha256: "", excerpt: "", error: x.error ?? "no answer" };
  const text = /^text\/|json|xml|javascript|svg/i.test(a.contentType);
  return {
    status: a.status,
    contentType: a.contentType,
    bytes: a.bytes.length,
    sha256: sha256(a.bytes),
    excerpt: text ? a.body.slice(0, 200) : "",
  };
}

/**
 * Differential verification: runs the original twice and the candidate once
 * under the same options (env, sidecars, command, probes). The first run of
 * the original discovers the request set and its answers; the second tells
 * what differs between two runs of the same app (masked); the candidate must
 * then answer every request like the original. Each run also passes its
 * probes and the liveness check. Returns the candidate's result with the
 * evidence in `differential`.
 */
export async function verifyAgainst(opts: DifferentialOptions): Promise<VerifyResult> {
  const t0 = Date.now();
  const limits = { ...DEFAULT_DISCOVERY_LIMITS, ...opts.discovery };
  const progress = opts.onProgress ?? (() => {});
  const timeoutMs = (r: DiscoveredRequest) => {
    const p = opts.probes.find((q) => q.kind === "http" && q.port === r.port && q.path === r.path);
    return (p?.kind === "http" ? p.requestTimeoutMs : undefined) ?? DEFAULT_REQUEST_TIMEOUT_MS;
  };
  const replay = async (s: RunSession, set: DiscoveredRequest[]): Promise<Exchange[]> => {
    const out: Exchange[] = [];
    for (const r of set) {
      const gone = s.exited();
      if (gone) throw new VerifyError(`${gone} while replaying the request set (at ${requestName(r)})`);
      out.push(
        await send(
          {
            host: s.host,
            timeoutMs: timeoutMs(r),
            deadline: s.deadline,
            ...(s.signal ? { signal: s.signal } : {}),
          },
          r,
          limits.maxBytes,
        ),
      );
    }
    return out;
  };

  // The original's own health check is not under test: only the candidate's (runHealthcheck).
  const original = { ...opts, image: opts.against, runHealthcheck: false };
  let first: Exchange[] = [];
  let truncated: string[] = [];
  progress({
    type: "phase",
    phase: "prepare",
    message: `running the original ${opts.against} to discover the request set`,
  });
  const run1 = await verifyWithSession(original, async (s) => {
    const seeds = seedsOf(opts.probes, s.ports);
    const found = await discover(
      {
        host: s.host,
        timeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
        deadline: s.deadline,
        ...(s.signal ? { signal: s.signal } : {}),
      },
      seeds,
      limits,
    );
    first = found.exchanges;
    truncated = found.truncated;
  });
  const evidenceBase = { against: opts.against, truncated };
  if (!run1.ok) return originalFailed(opts, run1, [run1], evidenceBase, t0);
  const set = first.map((x) => x.request);

  // The original's second run and the candidate's run need only the set, not each other:
  // they run side by side (each in its own containers, network and sidecars), so the
  // differential check costs about two runs of wall time, not three (bench/proof.ts).
  progress({
    type: "phase",
    phase: "prepare",
    message: `running the original again and the candidate ${opts.image}, side by side, with the same ${set.length} requests`,
  });
  let second: Exchange[] = [];
  let cand: Exchange[] = [];
  // allSettled: when one throws (Ctrl-C, a vanished engine), the other still finishes its
  // own clean-up before the error goes up, so nothing of either run is left behind.
  const settled = await Promise.allSettled([
    verifyWithSession(original, async (s) => {
      second = await replay(s, set);
    }),
    verifyWithSession(opts, async (s) => {
      cand = await replay(s, set);
    }),
  ]);
  const rejected = settled.find((x): x is PromiseRejectedResult => x.status === "rejected");
  if (rejected) throw rejected.reason;
  const [run2, run3] = settled.map((x) => (x as PromiseFulfilledResult<VerifyResult>).value) as [
    VerifyResult,
    VerifyResult,
  ];
  if (!run2.ok) return originalFailed(opts, run2, [run1, run2], evidenceBase, t0);

  const requests: RequestEvidence[] = [];
  const masked: DifferentialEvidence["masked"] = [];
  for (let i = 0; i < set.length; i++) {
    const r = set[i] as DiscoveredRequest;
    const a = first[i] as Exchange;
    const b = second[i];
    const c = cand[i];
    const name = requestName(r);
    const ev: RequestEvidence = {
      request: name,
      source: r.source,
      verdict: "identical",
      original: summary(a),
    };
    if (c) ev.candidate = summary(c);
    if (!c) {
      ev.verdict = "differs";
      ev.detail = `not sent: ${run3.error ?? "the candidate's run ended first"}`;
    } else if (!a.answer || !b?.answer) {
      // The original gave no answer (a timeout, a reset): the candidate must fail alike.
      if (c.answer) {
        ev.verdict = "differs";
        ev.detail = `answered ${c.answer.status}, the original gave no answer (${a.error ?? b?.error})`;
      }
    } else if (!c.answer) {
      ev.verdict = "differs";
      ev.detail = `no answer (${c.error}), the original answers ${a.answer.status}`;
    } else {
      const cmp = learnMask(a.answer, b.answer);
      const why = difference(a.answer, c.answer, cmp);
      if (why) {
        ev.verdict = "differs";
        ev.detail = why;
      } else if (cmp.kind === "masked") {
        ev.verdict = "identical-masked";
        ev.detail = `${cmp.positions.length} of ${cmp.tokens} tokens masked (e.g. ${cmp.examples.join("; ")})`;
      } else if (cmp.kind === "unstable") {
        ev.verdict = "status-and-type-only";
        ev.detail = `the original's own runs differ (${cmp.what}): compared on status and content type`;
      }
      if (cmp.kind !== "exact") masked.push({ request: name, what: ev.detail ?? "" });
    }
    requests.push(ev);
  }
  const differing = requests.filter((e) => e.verdict === "differs");
  const evidence: DifferentialEvidence = {
    ...evidenceBase,
    requests,
    identical: requests.length - differing.length,
    differing: differing.length,
    masked,
    durationMs: Date.now() - t0,
    originalRuns: [run1, run2],
  };
  if (!run3.ok) return { ...run3, differential: evidence, durationMs: Date.now() - t0 };
  if (differing.length > 0) {
    const d = differing[0] as RequestEvidence;
    return {
      ...run3,
      ok: false,
      error: `${differing.length} of ${requests.length} requests answer differently from the original; first: ${d.request} (${d.source}): ${d.detail}`,
      failedProbe: {
        probe: d.request,
        expected: answerText(d.original),
        got: d.candidate ? answerText(d.candidate) : "nothing",
      },
      differential: evidence,
      durationMs: Date.now() - t0,
    };
  }
  return { ...run3, differential: evidence, durationMs: Date.now() - t0 };
}

function answerText(a: AnswerSummary): string {
  if (a.error) return `no answer (${a.error})`;
  return `${a.status} ${a.contentType || "(no type)"}, ${a.bytes} bytes${a.excerpt ? `: ${JSON.stringify(a.excerpt.slice(0, 120))}` : ""}`;
}

function originalFailed(
  opts: DifferentialOptions,
  run: VerifyResult,
  runs: VerifyResult[],
  base: { against: string; truncated: string[] },
  t0: number,
): VerifyResult {
  const failed = run.probes.find((p) => !p.ok);
  return {
    ...run,
    image: opts.image,
    ok: false,
    error: `the original ${opts.against} does not pass itself, so it cannot define the expected answers: ${run.error ?? (failed ? describeProbe(failed.probe) : "failed")}`,
    differential: {
      ...base,
      requests: [],
      identical: 0,
      differing: 0,
      masked: [],
      durationMs: Date.now() - t0,
      originalRuns: runs,
    },
    durationMs: Date.now() - t0,
  };
}
