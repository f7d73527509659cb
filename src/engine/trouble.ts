/**
 * Engine API failures as slimstage errors. A leaf module: containers, ports and
 * container files all translate their failures here without importing each other.
 */
import { EngineError } from "../errors.js";

/** True when the error says the engine itself is gone (socket closed, refused). */
/** The HTTP status of an Engine API error (dockerode's statusCode), if it has one. */
export function statusOf(err: unknown): number | undefined {
  if (typeof err === "object" && err !== null && "statusCode" in err) {
    const s = (err as { statusCode: unknown }).statusCode;
    return typeof s === "number" ? s : undefined;
  }
  return undefined;
}

export function isEngineGone(err: unknown): boolean {
  const code =
    typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : "";
  const msg = err instanceof Error ? err.message : String(err);
  return (
    ["ECONNREFUSED", "ENOENT", "ECONNRESET", "EPIPE", "ESOCKETTIMEDOUT"].includes(code) ||
    /socket hang up|connect ECONNREFUSED|connect ENOENT/.test(msg)
  );
}

/** An EngineError that says plainly when the engine went away. */
export function engineTrouble(what: string, err: unknown): EngineError {
  if (isEngineGone(err)) {
    return new EngineError(`${what}: the engine stopped answering`, {
      cause: err,
      hint: "check that dockerd is running (`slimstage doctor`); resources may need `docker rm -f` by label org.slimstage.managed=true",
    });
  }
  const msg = err instanceof Error ? err.message : String(err);
  return new EngineError(`${what}: ${msg}`, { cause: err });
}
