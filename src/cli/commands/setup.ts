import type { Command } from "commander";
import { InternalError } from "../../errors.js";
import { action } from "../runtime.js";

// Placeholder: the owner of this command replaces it.
export function define(program: Command): void {
  program
    .command("setup")
    .description("Install and start a Docker engine on this Debian/Ubuntu machine (root)")
    .action(
      action(async () => {
        throw new InternalError("slimstage setup is not implemented yet");
      }),
    );
}
