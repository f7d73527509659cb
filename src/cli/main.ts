#!/usr/bin/env node
import { ConfigError, InterruptedError, isSlimstageError, type SlimstageError } from "../errors.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { processAbortController, setSignalHandler } from "./runtime.js";

function wantsJson(argv: readonly string[]): boolean {
  return argv.includes("--json");
}

/** One error, printed the same way for every command. */
function report(err: SlimstageError, json: boolean): void {
  if (json) {
    const body = {
      error: {
        kind: err.kind,
        type: err.name,
        message: err.message,
        ...(err.location ? { location: err.location } : {}),
        ...(err instanceof ConfigError && err.key ? { key: err.key } : {}),
        ...(err.hint ? { hint: err.hint } : {}),
      },
    };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  const loc = err.location
    ? `${err.location.file ?? "<input>"}:${err.location.line}:${err.location.column}: `
    : "";
  let text = `slimstage: ${loc}${err.message}\n`;
  if (err.sourceLine !== undefined && err.location) {
    // A hostile line can be megabytes long: show at most 160 characters around the caret.
    const col = Math.max(0, err.location.column - 1);
    const from = Math.max(0, col - 80);
    const shown = err.sourceLine.slice(from, from + 160);
    const pre = from > 0 ? "..." : "";
    const post = from + 160 < err.sourceLine.length ? "..." : "";
    text += `  ${pre}${shown}${post}\n  ${" ".repeat(pre.length + col - from)}^\n`;
  }
  if (err.hint) text += `hint: ${err.hint}\n`;
  process.stderr.write(text);
}

/**
 * An interruption names the signal that arrived: library code that notices
 * the abort may not know which one it was (it said SIGINT after a SIGTERM).
 */
export function interruptedBy(err: SlimstageError, signal: AbortSignal): SlimstageError {
  if (!(err instanceof InterruptedError) || !signal.aborted) return err;
  const sig = typeof signal.reason === "string" ? signal.reason : undefined;
  return sig && err.message !== `interrupted by ${sig}` ? new InterruptedError(sig) : err;
}

export async function main(argv: readonly string[]): Promise<number> {
  const abort = processAbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) {
      // A second Ctrl-C while cleaning up: give up at once.
      process.stderr.write("slimstage: forced exit; some resources may be left behind\n");
      process.exit(EXIT.interrupted);
    }
    process.stderr.write(`slimstage: ${sig} received, cleaning up (Ctrl-C again to force)\n`);
    abort.abort(sig);
  };
  setSignalHandler(onSignal);

  const json = wantsJson(argv);
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    // The one answer that needs neither commander nor any command (commander prints the same line).
    const { VERSION } = await import("../version.js");
    process.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  // Loaded here, not on import: a bare --version does not pay for them.
  const [{ CommanderError }, { buildProgram }] = await Promise.all([
    import("commander"),
    import("./program.js"),
  ]);
  try {
    const program = await buildProgram(argv);
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0.
      if (err.exitCode === 0) return EXIT.ok;
      // commander said it on stderr; with --json, stdout still gets a document.
      if (json) {
        const body = {
          error: { kind: "input", type: err.code, message: err.message.replace(/^error:\s*/, "") },
        };
        process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      }
      return EXIT.usage;
    }
    if (isSlimstageError(err)) {
      report(interruptedBy(err, abort.signal), json);
      return exitCodeFor(err.kind);
    }
    if (abort.signal.aborted) {
      process.stderr.write("slimstage: interrupted\n");
      return EXIT.interrupted;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    if (json) {
      process.stdout.write(
        `${JSON.stringify({ error: { kind: "internal", message: e.message } }, null, 2)}\n`,
      );
    } else {
      process.stderr.write(`slimstage: internal error: ${e.stack ?? e.message}\n`);
    }
    return EXIT.internal;
  } finally {
    setSignalHandler(undefined);
  }
}

const EXIT_SIGPIPE = 141;

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"));
if (invokedDirectly || process.env.SLIMSTAGE_MAIN === "1") {
  // The reader went away (`slimstage ... --help | head`): stop quietly, cleaning
  // up as after Ctrl-C, and exit as a shell pipeline expects (128 + SIGPIPE).
  let readerGone = false;
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    readerGone = true;
    const abort = processAbortController();
    if (!abort.signal.aborted) abort.abort("SIGPIPE");
    process.exitCode = EXIT_SIGPIPE;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = readerGone ? EXIT_SIGPIPE : code;
    },
    (err: unknown) => {
      process.stderr.write(`slimstage: ${String(err)}\n`);
      process.exitCode = EXIT.internal;
    },
  );
}
