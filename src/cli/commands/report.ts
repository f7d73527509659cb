import type { Command } from "commander";
import type { ReportData } from "../../report/report-data.js";
import { action, examples } from "../runtime.js";
import { addVerifyOptions, type CompareFlags, runComparison } from "./compare.js";

interface ReportFlags extends CompareFlags {
  out: string;
  from?: string;
}

export function define(program: Command): void {
  const cmd = program
    .command("report")
    .description("Write a self-contained HTML report with charts")
    .argument("[image...]", "images to analyse on the spot: REF or NAME=REF (instead of --from)")
    .requiredOption("-o, --out <file>", "the HTML file to write")
    .option(
      "--from <run.json>",
      "a run document: the --json output of `slimstage compare` or `slimstage lab`",
    )
    .option("--baseline <image>", "name or ref of the baseline (default: the first image, or the run's)")
    .option("--title <text>", "the report's title")
    .option("--no-estimate-compressed", "skip gzip-estimating compressed sizes (about 2x faster)");
  const probeArgv = addVerifyOptions(cmd);
  cmd
    .addHelpText(
      "after",
      examples([
        ["slimstage compare --json app:single app:multi > run.json", "record a run..."],
        [
          "slimstage report --from run.json --out report.html",
          "...and draw it: one file, nothing fetched when viewed",
        ],
        [
          "slimstage report --out report.html single=app:1 multi=app:2",
          "analyse two images and report at once",
        ],
        [
          "slimstage report -o report.html app:1 app:2 --probe http://:5000/",
          "with verification: start-up time, peak memory, probe results",
        ],
      ]),
    )
    .action(
      action(async (rt, refs: string[], flags: ReportFlags) => {
        const { InputError } = await import("../../errors.js");
        const { writeFile, readFile, rename, rm } = await import("node:fs/promises");
        const { renderReportHtml } = await import("../../report/html/render.js");
        const { EXIT } = await import("../exit-codes.js");
        {
          // Checked before analysing and verifying images: the folder must exist and be writable.
          const { dirname } = await import("node:path");
          const { statSync, accessSync, constants } = await import("node:fs");
          const outDir = dirname(flags.out);
          if (!statSync(outDir, { throwIfNoEntry: false })?.isDirectory())
            throw new InputError(`cannot write ${flags.out}: the folder ${outDir} does not exist`);
          try {
            accessSync(outDir, constants.W_OK);
          } catch {
            throw new InputError(`cannot write ${flags.out}: the folder ${outDir} is not writable`);
          }
        }

        let data: ReportData;
        if (flags.from !== undefined) {
          if (refs.length > 0 || flags.fromBuild !== undefined) {
            throw new InputError("give either --from RUN.json or images, not both", {
              hint: "to add images to a run, compare them all again with `slimstage compare --json`",
            });
          }
          const { parseReportData } = await import("../../report/report-data-schema.js");
          let text: string;
          try {
            text = await readFile(flags.from, "utf8");
          } catch (e) {
            throw new InputError(
              `cannot read ${flags.from}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
            );
          }
          data = parseReportData(text, flags.from);
          if (flags.baseline !== undefined) {
            const { findBaseline } = await import("../../report/compare.js");
            const baseline = data.variants[findBaseline(data.variants, flags.baseline)];
            if (baseline === undefined)
              throw new InputError(`baseline "${flags.baseline}" is not one of the run's variants`);
            data = { ...data, baseline: baseline.name };
          }
          if (flags.title !== undefined) data = { ...data, title: flags.title };
        } else {
          if (refs.length === 0 && flags.fromBuild === undefined) {
            throw new InputError("nothing to report: give images or --from RUN.json", {
              hint: "e.g. slimstage report --out report.html app:single app:multi",
            });
          }
          const { REPORT_DATA_SCHEMA_ID } = await import("../../report/report-data.js");
          const result = await runComparison(rt, refs, flags, probeArgv);
          data = {
            schema: REPORT_DATA_SCHEMA_ID,
            ...(flags.title !== undefined ? { title: flags.title } : {}),
            createdAt: new Date().toISOString(),
            baseline: result.comparison.baseline,
            variants: result.variants,
          };
        }

        const html = renderReportHtml(data);
        // Written next to the target and renamed, so a reader never sees half a report.
        const tmp = `${flags.out}.${process.pid}.tmp`;
        try {
          await writeFile(tmp, html, "utf8");
          await rename(tmp, flags.out);
        } catch (e) {
          await rm(tmp, { force: true });
          throw new InputError(
            `cannot write ${flags.out}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
          );
        }
        const bytes = Buffer.byteLength(html);
        const failed = data.variants.filter((v) => v.verify && !v.verify.passed).map((v) => v.name);
        if (rt.json) {
          rt.printJson({ out: flags.out, bytes, variants: data.variants.map((v) => v.name), failed });
        } else {
          rt.print(`wrote ${flags.out} (${(bytes / 1024).toFixed(0)} KiB, ${data.variants.length} variants)`);
          if (failed.length) rt.print(`failed verification: ${failed.join(", ")}`);
        }
        // Verification that ran here and failed fails the command; a run read with --from was already judged.
        return failed.length && flags.from === undefined ? EXIT.verify : EXIT.ok;
      }),
    );
}
