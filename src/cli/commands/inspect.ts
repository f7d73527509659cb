import type { Command } from "commander";
import { InternalError } from "../../errors.js";
import { action } from "../runtime.js";

// Placeholder: the owner of this command replaces it.
export function define(program: Command): void {
  program
    .command("inspect")
    .description("Analyze an image layer by layer: sizes, owners, waste, build-only content")
    .action(
      action(async () => {
        throw new InternalError("slimstage inspect is not implemented yet");
      }),
    );
}
