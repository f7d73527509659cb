import { Command, Option } from "commander";
import { VERSION } from "../version.js";
import { COMMANDS, type CommandModule } from "./commands/index.js";
import { EXIT_DESCRIPTIONS } from "./exit-codes.js";
import { examples } from "./runtime.js";

/**
 * The commands a run with these arguments needs: the one it names, none for
 * a bare `--version`, all of them for help, an unknown word (commander then
 * suggests the nearest) or no arguments. Global options take no values, so
 * the first word not starting with `-` is the command.
 */
export function commandsFor(argv: readonly string[] | undefined): string[] {
  const all = Object.keys(COMMANDS);
  if (argv === undefined) return all;
  const word = argv.find((a) => !a.startsWith("-"));
  if (word !== undefined) return Object.hasOwn(COMMANDS, word) ? [word] : all;
  const versionOnly =
    argv.some((a) => a === "--version" || a === "-V") && !argv.some((a) => a === "--help" || a === "-h");
  return versionOnly ? [] : all;
}

/**
 * Builds the command tree: all commands (scripts/gen-cli-doc.ts, for
 * docs/cli.md), or only those `argv` needs (see commandsFor).
 */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
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

  const names = commandsFor(argv);
  const mods = await Promise.all(names.map((name) => (COMMANDS[name] as () => Promise<CommandModule>)()));
  for (const mod of mods) mod.define(program);
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
