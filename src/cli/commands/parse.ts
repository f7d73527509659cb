import type { Command } from "commander";
import { InternalError } from "../../errors.js";
import { action } from "../runtime.js";

// Placeholder: the owner of this command replaces it.
export function define(program: Command): void {
  program
    .command("parse")
    .description("Parse a Dockerfile: JSON model, BuildKit AST dump, printer round trip, stage graph")
    .action(
      action(async () => {
        throw new InternalError("slimstage parse is not implemented yet");
      }),
    );
}
