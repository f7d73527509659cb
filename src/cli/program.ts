import { Command, Option } from "commander";
import { VERSION } from "../version.js";
import { COMMANDS } from "./commands/index.js";
import { EXIT_DESCRIPTIONS } from "./exit-codes.js";
import { examples } from "./runtime.js";

/** Builds the full command tree (also used by scripts/gen-docs.ts for docs/cli.md). */
export async function buildProgram(): Promise<Command> {
  const program = new Command("slimstage")
    .description("Make container images small and prove they still work.")
    .version(VERSION, "-V, --version")
    .addOption(new Option("--json", "machine-readable output (one JSON document on stdout)"))
    .addOption(new Option("-v, --verbose", "more detail, full logs"))
    .addOption(new Option("-q, --quiet", "no progress output on stderr"))
    .addOption(new Option("--no-color", "disable colours (also: NO_COLOR=1)"))
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ outputError: (str, write) => write(str) })
    .exitOverride();

  for (const load of COMMANDS) {
    const mod = await load();
    mod.define(program);
  }
  for (const sub of program.commands) sub.exitOverride();

  const codes = EXIT_DESCRIPTIONS.map(([code, what]) => `  ${String(code).padStart(3)}  ${what}`).join("\n");
  program.addHelpText(
    "after",
    `${examples([
      ["slimstage lab lab-000", "build, verify and compare the Flask hello lab's variants"],
      ["slimstage lint Dockerfile", "stage-aware size, cache and security findings"],
      ["slimstage inspect docker://python:3.11-slim", "where the bytes of an image go"],
      ["slimstage doctor --json", "which engine, BuildKit client and local bases are usable"],
    ])}\nExit codes:\n${codes}\n`,
  );
  return program;
}
