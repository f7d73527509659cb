import type { Command } from "commander";
import { ratioLimit } from "../read-options.js";
import { action, type CliRuntime, examples } from "../runtime.js";

interface DiffFlags {
  markdown?: boolean;
  top?: string;
  verify?: boolean;
  maxRatio?: string;
}

export function define(program: Command): void {
  program
    .command("diff")
    .description("Compare two images: layers, files, packages, config")
    .argument("<a>", "the image before (same reference forms as inspect)")
    .argument("<b>", "the image after")
    .option("--markdown", "print a Markdown report")
    .option("--top <n>", "rows per list", "15")
    .option("--no-verify", "skip layer digest checks (faster on plain-tar archives)")
    .option(
      "--max-ratio <n>",
      "stop at a layer expanding more than N:1 past 256 MiB, a decompression bomb (default 200)",
    )
    .addHelpText(
      "after",
      examples([
        ["slimstage diff python:3.11-slim myapp:latest", "what the app build added on top of its base"],
        [
          "slimstage diff docker-archive://old.tar docker-archive://new.tar --json",
          "files, packages and config changes as JSON",
        ],
        ["slimstage diff myapp:single myapp:multi --markdown", "a Markdown diff for a pull request"],
        [
          "slimstage diff registry://127.0.0.1:5000/app:1.0 docker://app:dev",
          "a registry's image against a local build",
        ],
      ]),
    )
    .action(
      action(async (rt: CliRuntime, a: string, b: string, flags: DiffFlags) => {
        const { InputError } = await import("../../errors.js");
        const top = Number(flags.top ?? "15");
        if (!Number.isInteger(top) || top < 1)
          throw new InputError(`--top "${flags.top}" must be a positive whole number`);
        const { openImage } = await import("../../image/open.js");
        const { diffImages } = await import("../../image/diff.js");
        rt.info(`reading ${a} and ${b} …`);
        // One after the other: each read is streamed, and the engine's export is sequential anyway.
        const opts = {
          signal: rt.signal,
          verifyDigests: flags.verify !== false,
          ...ratioLimit(flags.maxRatio),
        };
        const ia = await openImage(a, opts);
        const ib = await openImage(b, opts);
        const d = diffImages(ia, ib);
        if (rt.json) rt.printJson(d);
        else if (flags.markdown) {
          const { renderDiffMarkdown } = await import("../../image/format/diff-markdown.js");
          rt.print(renderDiffMarkdown(d, top));
        } else {
          const { renderDiffTty } = await import("../../image/format/diff-tty.js");
          rt.print(renderDiffTty(d, top));
        }
        return 0;
      }),
    );
}
