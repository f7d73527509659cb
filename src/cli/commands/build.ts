import type { Command } from "commander";
import { InternalError } from "../../errors.js";
import { action } from "../runtime.js";

// Placeholder: the owner of this command replaces it.
export function define(program: Command): void {
  program
    .command("build")
    .description("Build one or more Dockerfile variants with BuildKit")
    .action(
      action(async () => {
        throw new InternalError("slimstage build is not implemented yet");
      }),
    );
}
