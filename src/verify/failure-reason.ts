/**
 * Why a verification failed, in one sentence a user can act on: the error,
 * the app's last words (#15 item 4: `exec sh failed` says more than "no
 * address"), and a hint when the app could not resolve a host. Shared by
 * optimize's tiers and minify's traced run.
 */
import { stripVTControlCharacters } from "node:util";
import type { VerifyResult } from "./types.js";

/** One line, at most `max` characters. */
export function short(text: string, max = 140): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}

/** Why verification failed, with the last lines of the app's output when it printed any. */
export function verifyFailureReason(v: Pick<VerifyResult, "error" | "logTail" | "logs">): string {
  const error = v.error ?? "a probe failed";
  // An app's colours (Werkzeug's yellow banner) are escape codes in a log: not in a reason or JSON.
  const lines = (v.logTail ?? v.logs?.split("\n") ?? [])
    .map((l) => stripVTControlCharacters(l).trim())
    .filter(Boolean);
  // The last line that names an error says more than a runtime's closing banner
  // (Node ends a crash with its stack and "Node.js v22..."; Python with the exception).
  const named = [...lines].reverse().find((l) => /^(\w+\.)*\w*(Error|Exception)\b|^Uncaught\b/.test(l));
  const tail = lines.slice(-2).join(" | ");
  const reason =
    named && !tail.includes(named)
      ? `${error}; the app failed with: ${short(named, 300)} (its output ends: ${short(tail, 150)})`
      : tail
        ? `${error}; the app's output ends: ${short(tail, 300)}`
        : error;
  const host = unresolvedHost(lines);
  return host ? `${reason}. ${missingHostHint(host)}` : reason;
}

/** A host name the app could not resolve, as Node, redis-py and libpq say it. */
const UNRESOLVED =
  /getaddrinfo (?:ENOTFOUND|EAI_AGAIN) ([\w.-]+)|Error -[23] connecting to ([\w.-]+):\d+|could not translate host name "([\w.-]+)"/;

function unresolvedHost(lines: readonly string[]): string | undefined {
  for (const l of lines) {
    const m = UNRESOLVED.exec(l);
    const host = m?.[1] ?? m?.[2] ?? m?.[3];
    if (host) return host;
  }
  return undefined;
}

/** What to do about a service the app needs that verification did not start. */
function missingHostHint(host: string): string {
  return `The app looked up the host ${host} and nothing answers to that name: verification starts as sidecars only the compose service's depends_on (--compose FILE --service NAME picks the service); add ${host} to that service's depends_on`;
}
