import type { Command } from "commander";
import { InputError } from "../../errors.js";
import { ratioLimit } from "../read-options.js";
import { action, type CliRuntime, examples } from "../runtime.js";

interface InspectFlags {
  markdown?: boolean;
  tree?: string | boolean;
  depth?: string;
  top?: string;
  estimateCompressed?: boolean;
  verify?: boolean;
  maxRatio?: string;
  maxSize?: string;
  maxWaste?: string;
  minEfficiency?: string;
  maxBuildOnly?: string;
}

function positiveInt(raw: string | undefined, flag: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${flag} "${raw}" must be a positive whole number`);
  return n;
}

export function define(program: Command): void {
  program
    .command("inspect")
    .description("Analyze an image layer by layer: sizes, owners, waste, build-only content")
    .argument(
      "<ref>",
      "docker://IMAGE (default scheme), docker-archive://FILE.tar, oci-layout://DIR[:TAG], registry://HOST[:PORT]/NAME[:TAG]",
    )
    .option("--markdown", "print a Markdown report")
    .option("--tree [path]", "print the merged file tree with sizes (under PATH, default /)")
    .option("--depth <n>", "levels shown by --tree", "3")
    .option("--top <n>", "rows per list (biggest files, owners, tree children)", "10")
    .option("--estimate-compressed", "estimate compressed sizes with gzip -6 where the source has none")
    .option(
      "--no-verify",
      "skip layer digest checks: plain layers in files are read like tar -tvf, seeking over contents",
    )
    .option(
      "--max-ratio <n>",
      "stop at a layer expanding more than N:1 past 256 MiB, a decompression bomb (default 200)",
    )
    .option("--max-size <size>", "gate: fail (exit 1) when the image is larger (200MB, 1.2GB)")
    .option("--max-waste <size|%>", "gate: fail when wasted bytes exceed this (10MB or 5%)")
    .option("--min-efficiency <ratio>", "gate: fail when efficiency is below this (0.95 or 95%)")
    .option("--max-build-only <size|%>", "gate: fail when build-only content exceeds this")
    .addHelpText(
      "after",
      examples([
        ["slimstage inspect python:3.11-slim", "size, layers with waste, biggest files, owners, findings"],
        ["slimstage inspect docker-archive://app.tar --json", "the full analysis as JSON"],
        [
          "slimstage inspect registry://127.0.0.1:5000/team/app:1.2",
          "read an image from a registry (distribution API), no engine and no pull",
        ],
        [
          "slimstage inspect oci-layout://./out:latest --tree /usr/local --depth 2",
          "where the bytes under /usr/local go",
        ],
        [
          "slimstage inspect myapp:ci --max-size 200MB --min-efficiency 95%",
          "CI gate: exit 1 naming the gate that failed",
        ],
      ]),
    )
    .action(action(async (rt: CliRuntime, ref: string, flags: InspectFlags) => runInspect(rt, ref, flags)));
}

async function runInspect(rt: CliRuntime, ref: string, flags: InspectFlags): Promise<number> {
  const { buildGates, evaluateGates } = await import("../../image/gates.js");
  const top = positiveInt(flags.top, "--top", 10);
  const depth = positiveInt(flags.depth, "--depth", 3);
  // Gates validate their thresholds before the image is read.
  const gates = buildGates({
    ...(flags.maxSize !== undefined ? { maxSize: flags.maxSize } : {}),
    ...(flags.maxWaste !== undefined ? { maxWaste: flags.maxWaste } : {}),
    ...(flags.minEfficiency !== undefined ? { minEfficiency: flags.minEfficiency } : {}),
    ...(flags.maxBuildOnly !== undefined ? { maxBuildOnly: flags.maxBuildOnly } : {}),
  });
  const { openImage } = await import("../../image/open.js");
  const { analyzeImage } = await import("../../image/analysis/analyze.js");
  rt.info(`reading ${ref} …`);
  const image = await openImage(ref, {
    signal: rt.signal,
    estimateCompressed: flags.estimateCompressed === true,
    verifyDigests: flags.verify !== false,
    ...ratioLimit(flags.maxRatio),
  });

  if (flags.tree !== undefined && flags.tree !== false) {
    const { buildTreeView, renderTree } = await import("../../image/format/tree.js");
    const view = buildTreeView(image, typeof flags.tree === "string" ? flags.tree : "/", { depth, top });
    if (rt.json) rt.printJson(view);
    else rt.print(renderTree(view));
    return 0;
  }

  const analysis = analyzeImage(image, { top: Math.max(top, 20) });
  const results = evaluateGates(gates, analysis);
  const failed = results.filter((r) => !r.passed);
  if (rt.json) {
    rt.printJson({ ...analysis, gates: results });
  } else if (flags.markdown) {
    const { renderInspectMarkdown } = await import("../../image/format/inspect-markdown.js");
    rt.print(renderInspectMarkdown(analysis, results, top));
  } else {
    const { renderInspectTty } = await import("../../image/format/inspect-tty.js");
    rt.print(
      renderInspectTty(analysis, results, { color: rt.color, top, width: process.stdout.columns ?? 120 }),
    );
  }
  for (const f of failed) rt.info(`gate failed: ${f.message}`);
  return failed.length > 0 ? 1 : 0;
}
