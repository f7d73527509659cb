import type { Command } from "commander";
import { InternalError } from "../../errors.js";
import { action } from "../runtime.js";

// Placeholder: the owner of this command replaces it.
export function define(program: Command): void {
  program
    .command("diff")
    .description("Compare two images: layers, files, packages, config")
    .action(
      action(async () => {
        throw new InternalError("slimstage diff is not implemented yet");
      }),
    );
}
