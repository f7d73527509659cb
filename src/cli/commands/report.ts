import type { Command } from "commander";
import { InternalError } from "../../errors.js";
import { action } from "../runtime.js";

// Placeholder: the owner of this command replaces it.
export function define(program: Command): void {
  program
    .command("report")
    .description("Write a self-contained HTML report with charts")
    .action(
      action(async () => {
        throw new InternalError("slimstage report is not implemented yet");
      }),
    );
}
