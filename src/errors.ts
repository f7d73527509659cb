/**
 * Typed errors thrown by library code. Only the CLI (src/cli/main.ts) turns
 * them into messages and exit codes; library code never prints or exits.
 */

/** A place in an input file, 1-based line and column. */
export interface SourceLocation {
  file?: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export type ErrorKind =
  | "input" // malformed input: Dockerfile, tarball, config, flag (exit 2)
  | "engine" // no usable container engine, or it went away (exit 3)
  | "build" // an image build failed (exit 4)
  | "verify" // a verification (probe, sidecar) failed (exit 5)
  | "interrupted" // Ctrl-C or SIGTERM (exit 130)
  | "internal"; // a bug (exit 70)

export abstract class SlimstageError extends Error {
  abstract readonly kind: ErrorKind;
  /** Where in the input the problem is, when it has a place. */
  readonly location?: SourceLocation;
  /** The offending source line, shown under the message with a caret. */
  readonly sourceLine?: string;
  /** What the user can do about it. */
  readonly hint?: string;

  constructor(
    message: string,
    opts: { location?: SourceLocation; sourceLine?: string; hint?: string; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    if (opts.location) this.location = opts.location;
    if (opts.sourceLine !== undefined) this.sourceLine = opts.sourceLine;
    if (opts.hint) this.hint = opts.hint;
  }
}

/** Bad input: a file, a flag, a reference, a config value. */
export class InputError extends SlimstageError {
  readonly kind = "input" as const;
}

/** A Dockerfile (or other text format) that does not parse. */
export class ParseError extends InputError {}

/** Input over one of the documented bounds on work (expanded length, nesting, decompression). */
export class LimitError extends ParseError {}

/** A config file that does not validate; `key` is the JSON path of the bad value. */
export class ConfigError extends InputError {
  readonly key?: string;
  constructor(
    message: string,
    opts: { key?: string; location?: SourceLocation; sourceLine?: string; hint?: string } = {},
  ) {
    super(message, opts);
    if (opts.key) this.key = opts.key;
  }
}

/** No usable engine, or the engine failed under us. */
export class EngineError extends SlimstageError {
  readonly kind = "engine" as const;
}

export class BuildError extends SlimstageError {
  readonly kind = "build" as const;
}

export class VerifyError extends SlimstageError {
  readonly kind = "verify" as const;
}

export class InterruptedError extends SlimstageError {
  readonly kind = "interrupted" as const;
  constructor(signal = "SIGINT") {
    super(`interrupted by ${signal}`);
  }
}

/** Throws InterruptedError (named after the signal) once `signal` has fired. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new InterruptedError(String(signal.reason ?? "SIGINT"));
}

export class InternalError extends SlimstageError {
  readonly kind = "internal" as const;
}

export function isSlimstageError(e: unknown): e is SlimstageError {
  return e instanceof SlimstageError;
}
