import type { Command } from "commander";
import { InternalError } from "../../errors.js";
import { action } from "../runtime.js";

// Placeholder: the owner of this command replaces it.
export function define(program: Command): void {
  program
    .command("compare")
    .description("Compare images side by side with ratios to a baseline")
    .action(
      action(async () => {
        throw new InternalError("slimstage compare is not implemented yet");
      }),
    );
}
