import type { Command } from "commander";

/**
 * The one registry of CLI commands. Each module only declares its command;
 * heavy library code is imported lazily inside the action, so `--help` and
 * small commands start fast.
 */
export type CommandModule = { define(program: Command): void };

/** By name, so that a run loads only the module of the command it runs (see program.ts). */
export const COMMANDS: Readonly<Record<string, () => Promise<CommandModule>>> = {
  doctor: () => import("./doctor.js"),
  setup: () => import("./setup.js"),
  bases: () => import("./bases.js"),
  parse: () => import("./parse.js"),
  lint: () => import("./lint.js"),
  inspect: () => import("./inspect.js"),
  diff: () => import("./diff.js"),
  build: () => import("./build.js"),
  verify: () => import("./verify.js"),
  compare: () => import("./compare.js"),
  report: () => import("./report.js"),
  lab: () => import("./lab.js"),
  optimize: () => import("./optimize.js"),
  minify: () => import("./minify.js"),
  clean: () => import("./clean.js"),
};
