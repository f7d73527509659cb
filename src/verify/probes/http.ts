/** The http probe kind: requests against the app's port, checked against the probe's expectations. */
import { request } from "node:http";
import type { HttpProbe, ProbeResult } from "../types.js";
import {
  ConnectError,
  cutOn,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type ProbeKind,
  type ProbeRunOptions,
  type ProbeTarget,
  portAt,
  quote,
  untilConnected,
} from "./kind.js";

/** One HTTP answer, as probes and differential verification see it. */
export interface HttpAnswer {
  status: number;
  /** The Content-Type header, as sent ("" when absent). */
  contentType: string;
  /** The body as UTF-8 text (what expectations match against). */
  body: string;
  /** The body's bytes, capped at `maxBytes` (static assets are compared byte for byte). */
  bytes: Buffer;
  /** True when the body was longer than the cap. */
  truncated: boolean;
}

/** One HTTP request's parts beyond host and port. */
export interface HttpRequestSpec {
  path: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Bytes of body kept (default 1 MB). */
  maxBytes?: number;
}

/** One HTTP request; connection problems reject with ConnectError. */
export function httpRequest(host: string, port: number, spec: HttpRequestSpec): Promise<HttpAnswer> {
  let off = () => {};
  const max = spec.maxBytes ?? 1_000_000;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const headers = { ...spec.headers };
    if (spec.body !== undefined) headers["content-length"] = String(Buffer.byteLength(spec.body));
    const req = request(
      { host, port, path: spec.path, method: spec.method, headers, agent: false, timeout: spec.timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        res.on("data", (d: Buffer) => {
          if (size >= max) {
            truncated = true;
            return;
          }
          const keep = d.subarray(0, max - size);
          if (keep.length < d.length) truncated = true;
          chunks.push(keep);
          size += keep.length;
        });
        res.on("end", () => {
          const bytes = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers["content-type"] ?? ""),
            body: bytes.toString("utf8"),
            bytes,
            truncated,
          });
        });
        res.on("error", (e) => reject(new ConnectError(e.message)));
      },
    );
    req.on("timeout", () => req.destroy(new ConnectError(`no answer within ${spec.timeoutMs} ms`)));
    req.on("error", (e: NodeJS.ErrnoException) => {
      // HPE_*: bytes came back that are not HTTP (a Redis or database port).
      const notHttp = typeof e.code === "string" && e.code.startsWith("HPE_");
      reject(new ConnectError(notHttp ? `not an HTTP answer (${e.code})` : (e.code ?? e.message), notHttp));
    });
    off = cutOn(spec.signal, () => req.destroy(new ConnectError("cut short")));
    req.end(spec.body);
  }).finally(() => off());
}

/** Reads `a.b.0.c` from parsed JSON. */
export function jsonAt(value: unknown, path: string): { found: boolean; value?: unknown } {
  let cur: unknown = value;
  for (const part of path.split(".")) {
    if (Array.isArray(cur) && /^\d+$/.test(part)) cur = cur[Number(part)];
    else if (cur !== null && typeof cur === "object" && part in cur)
      cur = (cur as Record<string, unknown>)[part];
    else return { found: false };
  }
  return { found: true, value: cur };
}

function sameValue(actual: unknown, expected: string): boolean {
  if (typeof actual === "string") return actual === expected;
  try {
    return JSON.stringify(actual) === JSON.stringify(JSON.parse(expected));
  } catch {
    return String(actual) === expected;
  }
}

const fill = (text: string, n: number) => text.replaceAll("{n}", String(n));

/** What an HTTP check found wrong: one sentence, and the expected/got pair shown on failure. */
export interface HttpProblem {
  detail: string;
  expected: string;
  got: string;
}

/** Checks one HTTP answer against the probe; returns the problem, or undefined. */
export function checkHttpAnswer(
  p: HttpProbe,
  a: Pick<HttpAnswer, "status" | "body"> & { contentType?: string },
  n: number,
): HttpProblem | undefined {
  const limit = p.fallbackToTcp ? 500 : 400;
  if (p.expectStatus !== undefined ? a.status !== p.expectStatus : a.status >= limit) {
    const expected = `status ${p.expectStatus ?? `< ${limit}`}`;
    return {
      detail: `status ${a.status}, expected ${p.expectStatus ?? `< ${limit}`}`,
      expected,
      got: `status ${a.status}: ${quote(a.body.trim())}`,
    };
  }
  // The default probe takes any answer below 500 as alive (an API's / may be 404 or 401),
  // but not 400: a plain GET / refused as a bad request is the app turning the probe away
  // (Django's ALLOWED_HOSTS, a required header), not the app working.
  if (p.fallbackToTcp && p.expectStatus === undefined && a.status === 400) {
    return {
      detail: `status 400 to a plain GET ${p.path}: the app refused the request (for Django, ALLOWED_HOSTS must allow the address the probe uses; pass it with --env)`,
      expected: "status < 500, not 400",
      got: `status 400: ${quote(a.body.trim())}`,
    };
  }
  const ct = a.contentType ?? "";
  if (p.expectContentType !== undefined && !ct.toLowerCase().startsWith(p.expectContentType.toLowerCase())) {
    return {
      detail: `content type ${JSON.stringify(ct)}, expected ${JSON.stringify(p.expectContentType)}`,
      expected: `content type ${p.expectContentType}`,
      got: `content type ${ct || "(none)"}`,
    };
  }
  const body = quote(a.body.trim());
  const want = p.expectSequence?.[n - 1];
  if (want !== undefined && !a.body.includes(want))
    return {
      detail: `request ${n}: body ${body} does not contain ${quote(want)}`,
      expected: `body containing ${quote(want)}`,
      got: `body ${body}`,
    };
  if (p.expectBody !== undefined) {
    const text = fill(p.expectBody, n);
    if (!a.body.includes(text))
      return {
        detail: `request ${n}: body ${body} does not contain ${quote(text)}`,
        expected: `body containing ${quote(text)}`,
        got: `body ${body}`,
      };
  }
  if (p.expectJson && p.expectJson.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(a.body);
    } catch {
      return {
        detail: `request ${n}: body is not JSON: ${body}`,
        expected: "a JSON body",
        got: `body ${body}`,
      };
    }
    for (const e of p.expectJson) {
      const got = jsonAt(parsed, e.path);
      const v = fill(e.value, n);
      if (!got.found)
        return {
          detail: `request ${n}: JSON has no field ${e.path}`,
          expected: `${e.path} = ${v}`,
          got: `no field ${e.path} in ${body}`,
        };
      if (!sameValue(got.value, v))
        return {
          detail: `request ${n}: ${e.path} is ${JSON.stringify(got.value)}, expected ${v}`,
          expected: `${e.path} = ${v}`,
          got: `${e.path} = ${JSON.stringify(got.value)}`,
        };
    }
  }
  return undefined;
}

/** The request a probe sends (headers and body included). */
function requestOf(p: HttpProbe, timeoutMs: number, signal?: AbortSignal): HttpRequestSpec {
  return {
    path: p.path,
    method: p.method ?? "GET",
    ...(p.headers ? { headers: p.headers } : {}),
    ...(p.body !== undefined ? { body: p.body } : {}),
    timeoutMs,
    signal,
  };
}

async function runHttp(
  p: HttpProbe,
  target: ProbeTarget,
  opts: ProbeRunOptions,
): Promise<Omit<ProbeResult, "durationMs">> {
  const count = Math.max(p.repeat ?? 1, p.expectSequence?.length ?? 1);
  const perRequest = p.requestTimeoutMs ?? opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  let notHttp = false;
  // What the port said when it answered in another protocol: a better "got" than the last
  // attempt's, which the deadline may have cut short on a loaded machine.
  let spokeOther: string | undefined;
  // Only the first request waits for the app to come up; the rest must answer at once.
  const first = await untilConnected(target, { ...opts, requestTimeoutMs: perRequest }, async (t, sig) => {
    try {
      return await httpRequest(target.host, portAt(target, p.port), requestOf(p, t, sig));
    } catch (e) {
      if (e instanceof ConnectError && e.notHttp && p.fallbackToTcp) {
        // The port is open but speaks something else: stop polling, fall back to TCP below.
        notHttp = true;
        return undefined;
      }
      if (e instanceof ConnectError && e.notHttp) spokeOther = e.message;
      throw e;
    }
  });
  if (notHttp) {
    return {
      probe: p,
      ok: true,
      tcpOnly: true,
      detail: `port ${p.port} accepts connections but does not answer HTTP: verified by TCP only`,
      attempts: first.attempts,
    };
  }
  if (!first.value)
    return {
      probe: p,
      ok: false,
      detail: `no HTTP answer on :${p.port}: ${spokeOther ?? first.lastError}`,
      expected: `an HTTP answer from :${p.port}${p.path}`,
      got: spokeOther ?? first.lastError ?? "nothing",
      attempts: first.attempts,
    };
  const bodies: string[] = [];
  let answer = first.value;
  for (let n = 1; n <= count; n++) {
    if (n > 1) {
      try {
        answer = await httpRequest(
          target.host,
          portAt(target, p.port),
          requestOf(p, perRequest, opts.signal),
        );
      } catch (e) {
        if (!(e instanceof ConnectError)) throw e;
        return {
          probe: p,
          ok: false,
          detail: `request ${n}: ${e.message}`,
          expected: `an HTTP answer to request ${n}`,
          got: e.message,
          attempts: first.attempts,
        };
      }
    }
    const problem = checkHttpAnswer(p, answer, n);
    if (problem)
      return {
        probe: p,
        ok: false,
        detail: problem.detail,
        expected: problem.expected,
        got: problem.got,
        attempts: first.attempts,
      };
    bodies.push(answer.body.trim());
  }
  const seen = count > 1 ? `, bodies ${bodies.map(quote).join(" | ")}` : `, body ${quote(bodies[0] ?? "")}`;
  return { probe: p, ok: true, detail: `${answer.status}${seen}`, attempts: first.attempts };
}

export const httpProbe: ProbeKind<HttpProbe> = { kind: "http", run: runHttp };
