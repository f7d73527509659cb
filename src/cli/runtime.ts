import type { Command } from "commander";
import { createSupportsColor } from "supports-color";

/**
 * What a command needs from the process, made once per invocation. Commands
 * print through it so that `--json` and colours are decided in one place.
 */
export interface CliRuntime {
  readonly json: boolean;
  readonly verbose: boolean;
  readonly quiet: boolean;
  readonly color: boolean;
  /** Aborted on the first Ctrl-C / SIGTERM; library calls take it and clean up. */
  readonly signal: AbortSignal;
  /** Human output to stdout (suppressed with --json: use printJson there). */
  print(text: string): void;
  /** Machine output: one JSON document on stdout. */
  printJson(value: unknown): void;
  /** Progress and notes on stderr (never with --quiet). */
  info(text: string): void;
  /** A TTY on stderr: live progress displays may redraw. */
  readonly interactive: boolean;
}

export interface GlobalOptions {
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  color?: boolean;
}

let abort: AbortController | undefined;

let signalHandler: ((sig: NodeJS.Signals) => void) | undefined;

/** main.ts's SIGINT/SIGTERM handler (it aborts the process-wide signal, so that runs clean up). */
export function setSignalHandler(h: ((sig: NodeJS.Signals) => void) | undefined): void {
  if (signalHandler) {
    process.off("SIGINT", signalHandler);
    process.off("SIGTERM", signalHandler);
  }
  signalHandler = h;
  if (h) {
    process.on("SIGINT", h);
    process.on("SIGTERM", h);
  }
}

/**
 * Runs pure computation (parse, lint) with the signals' default action: a
 * JavaScript handler only runs when the event loop is free, which it is
 * not while a large file is parsed, so Ctrl-C or SIGTERM would wait for the
 * end. These commands start nothing that needs cleaning up, so the process
 * may simply end at once (exit status 128 + signal).
 */
export async function withDefaultSignals<T>(fn: () => Promise<T>): Promise<T> {
  const h = signalHandler;
  setSignalHandler(undefined);
  try {
    return await fn();
  } finally {
    setSignalHandler(h);
  }
}

/** Commands that only compute (nothing to clean up), run under withDefaultSignals. */
const CPU_BOUND = new Set(["parse", "lint"]);

/** The process-wide abort signal; main.ts wires it to SIGINT/SIGTERM. */
export function processAbortController(): AbortController {
  abort ??= new AbortController();
  return abort;
}

/**
 * Colours on `stream`: --no-color and NO_COLOR (non-empty, no-color.org) turn
 * them off; otherwise supports-color decides (FORCE_COLOR=0..3 forces them
 * off or on, TERM=dumb and a non-TTY get none, CI systems are known).
 */
export function colorFor(flag: boolean | undefined, stream: NodeJS.WriteStream): boolean {
  if (flag === false) return false;
  if (process.env.NO_COLOR && !process.env.FORCE_COLOR) return false;
  return createSupportsColor(stream, { sniffFlags: false }) !== false;
}

export function makeRuntime(cmd: Command): CliRuntime {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  const json = g.json === true;
  const quiet = g.quiet === true;
  const color = colorFor(g.color, process.stdout);
  return {
    json,
    verbose: g.verbose === true,
    quiet,
    color,
    signal: processAbortController().signal,
    interactive: process.stderr.isTTY === true && !json && !quiet && !process.env.CI,
    print(text) {
      if (!json) process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    },
    printJson(value) {
      process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    info(text) {
      if (!quiet) process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
    },
  };
}

/**
 * Wraps a command handler: builds the runtime, runs it, and records the exit
 * code it returns. Errors propagate to main.ts, which maps them.
 */
export function action<A extends unknown[]>(
  handler: (rt: CliRuntime, ...args: A) => Promise<number>,
): (...args: unknown[]) => Promise<void> {
  return async (...raw: unknown[]) => {
    const cmd = raw[raw.length - 1] as Command;
    const rt = makeRuntime(cmd);
    const run = () => handler(rt, ...(raw.slice(0, -1) as A));
    const code = CPU_BOUND.has(cmd.name()) ? await withDefaultSignals(run) : await run();
    process.exitCode = code;
  };
}

/** Collects a repeatable option (`--build-arg A=1 --build-arg B=2`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Formats an examples block for `addHelpText("after", ...)`. */
export function examples(lines: ReadonlyArray<readonly [string, string]>): string {
  const body = lines.map(([cmd, what]) => `  $ ${cmd}\n      ${what}`).join("\n");
  return `\nExamples:\n${body}\n`;
}
