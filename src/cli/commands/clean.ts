import type { Command } from "commander";
import { InputError } from "../../errors.js";
import { EXIT } from "../exit-codes.js";
import { action, examples } from "../runtime.js";

interface CleanFlags {
  force?: boolean;
  run?: string;
  olderThan?: string;
}

export function define(program: Command): void {
  program
    .command("clean")
    .description(
      "List (and with --force remove) containers, networks and images carrying slimstage's run label, and stale slimstage temp dirs",
    )
    .option("--force", "remove what is listed (default: a dry run that only lists)")
    .option("--run <id>", "only the engine resources of this run (label org.slimstage.run=ID)")
    .option("--older-than <minutes>", "temp dirs untouched for at least this long", "60")
    .addHelpText(
      "after",
      examples([
        ["slimstage clean", "list what killed runs left behind"],
        ["slimstage clean --force", "remove it (runs still going are left alone)"],
        ["slimstage clean --run 3fa2c1d0 --force --json", "remove one run's leftovers, as JSON"],
      ]),
    )
    .action(
      action(async (rt, flags: CleanFlags) => {
        const minutes = Number(flags.olderThan ?? "60");
        if (!/^\d+(\.\d+)?$/.test(flags.olderThan ?? "60") || !Number.isFinite(minutes))
          throw new InputError(`--older-than ${flags.olderThan}: expected a number of minutes`);
        if (flags.run !== undefined && !/^[A-Za-z0-9_.-]+$/.test(flags.run))
          throw new InputError(`--run ${flags.run}: expected a run id (letters, digits, _ . -)`);
        const { cleanLeftovers } = await import("../../engine/clean.js");
        const r = await cleanLeftovers({
          force: flags.force === true,
          ...(flags.run !== undefined ? { run: flags.run } : {}),
          minTempAgeMs: minutes * 60_000,
        });
        const code = r.failed.length > 0 ? EXIT.findings : EXIT.ok;
        if (rt.json) {
          rt.printJson(r);
          return code;
        }
        const line = (l: { kind: string; name: string; run?: string }) =>
          `  ${l.kind.padEnd(9)} ${l.name}${l.run ? `  (run ${l.run})` : ""}`;
        if (r.found.length === 0) rt.print("nothing to clean");
        else {
          rt.print(r.dryRun ? "would remove (dry run; --force to remove):" : "removed:");
          for (const l of r.dryRun ? r.found : r.removed) rt.print(line(l));
        }
        for (const k of r.kept) rt.print(`kept ${line(k).trim()}: ${k.reason}`);
        for (const f of r.failed) rt.print(`could not remove ${line(f).trim()}: ${f.error}`);
        return code;
      }),
    );
}
