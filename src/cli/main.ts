#!/usr/bin/env node
import { CommanderError } from "commander";
import { ConfigError, isSlimstageError, type SlimstageError } from "../errors.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { buildProgram } from "./program.js";
import { processAbortController } from "./runtime.js";

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
    text += `  ${err.sourceLine}\n  ${" ".repeat(Math.max(0, err.location.column - 1))}^\n`;
  }
  if (err.hint) text += `hint: ${err.hint}\n`;
  process.stderr.write(text);
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
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const json = wantsJson(argv);
  try {
    const program = await buildProgram();
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
      report(err, json);
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
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"));
if (invokedDirectly || process.env.SLIMSTAGE_MAIN === "1") {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`slimstage: ${String(err)}\n`);
      process.exitCode = EXIT.internal;
    },
  );
}
