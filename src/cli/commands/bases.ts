import { type Command, Option } from "commander";
import { formatBytes } from "../../image/format/units.js";
import { action, collect, examples } from "../runtime.js";

const mb = (bytes: number | undefined) => (bytes === undefined ? "-" : formatBytes(bytes));

export function define(program: Command): void {
  const bases = program
    .command("bases")
    .description(
      "Build and list the local base images made from Debian packages (local stand-ins, not the official images)",
    )
    .addHelpText(
      "after",
      examples([
        [
          "slimstage bases build",
          "build the Debian, Python, Node and Redis stand-ins (cached: seconds the second time)",
        ],
        ["slimstage bases list --json", "what exists, with sizes next to the official images' sizes"],
      ]),
    );

  bases
    .command("build")
    .description("Build the local bases (skips those whose recipe is unchanged)")
    .option("--force", "rebuild even when the recipe is unchanged")
    .addOption(
      new Option("--suite <suite>", "Debian suite of the Debian base")
        .choices(["bookworm", "trixie"])
        .default("bookworm"),
    )
    .option("--only <name>", "build only this base (repeatable): debian, python, node, redis", collect)
    .addHelpText(
      "after",
      examples([
        ["slimstage bases build", "all four bookworm-based stand-ins"],
        ["slimstage bases build --only python --force", "rebuild just the Python stand-in"],
        ["slimstage bases build --suite trixie", "a debian:trixie-slim stand-in"],
      ]),
    )
    .action(
      action(async (rt, o: { force?: boolean; suite: "bookworm" | "trixie"; only?: string[] }) => {
        const { buildBases } = await import("../../bases/build.js");
        const { BASE_NAMES } = await import("../../bases/recipe.js");
        const { InputError } = await import("../../errors.js");
        const only = o.only?.map((n) => {
          const found = BASE_NAMES.find((b) => b === n);
          if (!found)
            throw new InputError(`unknown base "${n}"`, { hint: `choose from: ${BASE_NAMES.join(", ")}` });
          return found;
        });
        const started = Date.now();
        const results = await buildBases({
          suite: o.suite,
          force: o.force === true,
          signal: rt.signal,
          progress: (line) => rt.info(`bases: ${line}`),
          ...(rt.verbose ? { log: (chunk: string) => process.stderr.write(chunk) } : {}),
          ...(only ? { only } : {}),
        });
        const seconds = Math.round((Date.now() - started) / 100) / 10;
        if (rt.json) {
          rt.printJson({ seconds, bases: results });
          return 0;
        }
        for (const r of results) {
          const aliases = r.aliases
            .map((a) => (a.status === "tagged" ? a.ref : `${a.ref} (kept: not ours)`))
            .join(", ");
          rt.print(
            `${r.status.padEnd(6)} ${r.ref.padEnd(32)} ${mb(r.size).padStart(9)}  ${r.seconds}s  ${aliases}`,
          );
        }
        rt.print(`done in ${seconds} s`);
        return 0;
      }),
    );

  bases
    .command("list")
    .description("List the local bases: presence, size against the official image, aliases, stand-in label")
    .addHelpText(
      "after",
      examples([["slimstage bases list --json", "machine-readable, with sizes in bytes"]]),
    )
    .action(
      action(async (rt) => {
        const { listBases } = await import("../../bases/list.js");
        const bases = await listBases();
        if (rt.json) {
          rt.printJson({ bases });
          return 0;
        }
        for (const b of bases) {
          if (!b.present) {
            rt.print(`${b.ref.padEnd(32)} (not built)`);
            continue;
          }
          const official = b.official.bytes
            ? `official ${b.official.ref} ${mb(b.official.bytes)}, ratio ${b.ratioToOfficial}`
            : `official ${b.official.ref}: size not recorded`;
          rt.print(
            `${b.ref.padEnd(32)} ${mb(b.size).padStart(9)}  ${official}  aliases: ${b.aliases.join(", ") || "-"}  [${b.standIn ?? "no stand-in label"}]`,
          );
        }
        return 0;
      }),
    );
}
