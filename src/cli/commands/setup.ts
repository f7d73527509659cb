import type { Command } from "commander";
import { action, examples } from "../runtime.js";

export function define(program: Command): void {
  program
    .command("setup")
    .description("Install and start a Docker engine on this Debian/Ubuntu machine (root); idempotent")
    .addHelpText(
      "after",
      examples([
        [
          "sudo slimstage setup",
          "install docker.io and debootstrap if missing, start dockerd, wait until it answers",
        ],
        ["slimstage setup --json", "the same, with the steps as JSON"],
      ]),
    )
    .addHelpText(
      "after",
      "\nRuns scripts/setup-engine.sh. Exit codes: 0 engine ready; 3 not root (nothing changed), install failed, or dockerd did not come up.\n",
    )
    .action(
      action(async (rt) => {
        const { runSetupScript } = await import("../../host/setup.js");
        const r = await runSetupScript({ signal: rt.signal, onLine: (l) => rt.info(l) });
        if (rt.json) rt.printJson({ ok: r.code === 0, exitCode: r.code, script: r.script, steps: r.lines });
        return r.code === 0 ? 0 : 3;
      }),
    );
}
