import type { Command } from "commander";
import { InternalError } from "../../errors.js";
import { action } from "../runtime.js";

// Placeholder: the owner of this command replaces it.
export function define(program: Command): void {
  program
    .command("lint")
    .description("Lint Dockerfiles for size, cache and security problems, stage-aware")
    .action(
      action(async () => {
        throw new InternalError("slimstage lint is not implemented yet");
      }),
    );
}
