import type { Command } from "commander";

/**
 * The one registry of CLI commands. Each module only declares its command;
 * heavy library code is imported lazily inside the action, so `--help` and
 * small commands start fast.
 */
export type CommandModule = { define(program: Command): void };

export const COMMANDS: ReadonlyArray<() => Promise<CommandModule>> = [
  () => import("./doctor.js"),
  () => import("./setup.js"),
  () => import("./bases.js"),
  () => import("./parse.js"),
  () => import("./lint.js"),
  () => import("./inspect.js"),
  () => import("./diff.js"),
  () => import("./build.js"),
  () => import("./verify.js"),
  () => import("./compare.js"),
  () => import("./report.js"),
  () => import("./lab.js"),
  () => import("./optimize.js"),
  () => import("./minify.js"),
  () => import("./clean.js"),
];
