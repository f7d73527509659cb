import type { Command } from "commander";
import { InternalError } from "../../errors.js";
import { action } from "../runtime.js";

// Placeholder: the owner of this command replaces it.
export function define(program: Command): void {
  program
    .command("doctor")
    .description("Find the container engine and report what it can do")
    .action(
      action(async () => {
        throw new InternalError("slimstage doctor is not implemented yet");
      }),
    );
}
