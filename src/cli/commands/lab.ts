import type { Command } from "commander";
import { InternalError } from "../../errors.js";
import { action } from "../runtime.js";

// Placeholder: the owner of this command replaces it.
export function define(program: Command): void {
  program
    .command("lab")
    .description("Run a seed lab end to end: lint, build, inspect, verify, compare, verdicts")
    .action(
      action(async () => {
        throw new InternalError("slimstage lab is not implemented yet");
      }),
    );
}
