import type { Command } from "commander";
import { InternalError } from "../../errors.js";
import { action } from "../runtime.js";

// Placeholder: the owner of this command replaces it.
export function define(program: Command): void {
  program
    .command("verify")
    .description("Run an image with probes and sidecars and measure start-up")
    .action(
      action(async () => {
        throw new InternalError("slimstage verify is not implemented yet");
      }),
    );
}
