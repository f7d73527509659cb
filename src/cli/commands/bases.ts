import type { Command } from "commander";
import { InternalError } from "../../errors.js";
import { action } from "../runtime.js";

// Placeholder: the owner of this command replaces it.
export function define(program: Command): void {
  program
    .command("bases")
    .description("Build and list the local base images made from Debian packages")
    .action(
      action(async () => {
        throw new InternalError("slimstage bases is not implemented yet");
      }),
    );
}
