import type { Command } from "commander";
import { InternalError } from "../../errors.js";
import { action } from "../runtime.js";

// Placeholder: the owner of this command replaces it.
export function define(program: Command): void {
  program
    .command("optimize")
    .description("Write or rewrite a multi-stage Dockerfile for a project, verified")
    .action(
      action(async () => {
        throw new InternalError("slimstage optimize is not implemented yet");
      }),
    );
}
