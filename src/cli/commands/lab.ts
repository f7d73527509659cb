import { setMaxListeners } from "node:events";
import { writeFile } from "node:fs/promises";
import { basename } from "node:path";
import type { Command } from "commander";
import { InputError } from "../../errors.js";
import { EXIT } from "../exit-codes.js";
import { action, collect, examples } from "../runtime.js";

interface LabFlags {
  report?: string;
  examples?: string;
  label?: string[];
  tagPrefix?: string;
  cache?: boolean;
  optimize?: boolean;
  minify?: boolean;
  wide?: boolean;
  env?: string[];
  envFile?: string[];
}

function parseLabels(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of list) {
    const eq = l.indexOf("=");
    if (eq <= 0) throw new InputError(`--label "${l}" must look like KEY=VALUE`);
    out[l.slice(0, eq)] = l.slice(eq + 1);
  }
  return out;
}

/** The phases a run plans: lint, build, analyze, verify per built variant; analyze and verify for a reference image; a build for each of slimstage's own variants. */
function plannedPhases(
  labs: ReadonlyArray<{ config: { variants: ReadonlyArray<{ image?: unknown }> } }>,
  flags: Pick<LabFlags, "optimize" | "minify">,
): number {
  return labs.reduce(
    (n, l) =>
      n +
      l.config.variants.reduce((m, v) => m + (v.image ? 2 : 4), 0) +
      (flags.optimize === false ? 0 : 2) +
      (flags.minify === false ? 0 : 1),
    0,
  );
}

export function define(program: Command): void {
  program
    .command("lab")
    .description(
      "Run a seed lab end to end: lint, build every variant (and slimstage's own optimized-slim, optimized-distroless and minified), inspect, verify with probes and sidecars, compare, and a verdict on each of the lab's claims and on slimstage's",
    )
    .argument(
      "[name]",
      'an example (lab-000 ... lab-004, hit-counter-ts), "all", or a directory with a lab.yaml',
    )
    .option("--report <file>", "also write the self-contained HTML report of the run")
    .option("--examples <dir>", "where the examples are (default: the package's examples/)")
    .option("--tag-prefix <repo>", "tag images <repo>/<lab>:<variant>", "slimstage-lab")
    .option("--no-cache", "build without BuildKit's cache (every step runs again)")
    .option(
      "--no-optimize",
      "skip slimstage's own variants (optimized-slim, optimized-distroless: optimize built and verified on each lab) and their claims",
    )
    .option(
      "--no-minify",
      "skip the variant minified (the lab's smallest working image traced and rebuilt from the files it used, verified)",
    )
    .option("--label <key=value>", "extra label on every image, container and network (repeatable)", collect)
    .option("--env <k=v>", "environment variable for the app in every verification (repeatable)", collect)
    .option(
      "--env-file <file>",
      "environment variables for the app, one KEY=VALUE a line (repeatable)",
      collect,
    )
    .option("--wide", "the full table (adds Built from and Expected; wider than 120 columns)")
    .addHelpText(
      "after",
      examples([
        ["slimstage lab", "list the labs"],
        ["slimstage lab lab-000", "single-stage vs the lab's multi-stage Flask image, with verdicts"],
        ["slimstage lab all --json > run.json", "every lab; the JSON that scripts/gen-results.ts reads"],
        ["slimstage lab lab-001 --report lab-001.html", "the hit counter with Redis, and its HTML report"],
        [
          "slimstage lab lab-002 --no-optimize",
          "only the lab's own variants, without slimstage's optimize tiers",
        ],
      ]),
    )
    .action(
      action(async (rt, name: string | undefined, flags: LabFlags) => {
        const lab = await import("../../lab/public.js");
        const examplesDir = flags.examples ?? lab.examplesDir();

        if (name === undefined) {
          const labs = await Promise.all(lab.listLabDirs(examplesDir).map((d) => lab.loadLab(d)));
          if (rt.json) {
            rt.printJson({
              labs: labs.map((l) => ({
                name: l.config.name,
                title: l.config.title,
                dir: l.dir,
                variants: l.config.variants.map((v) => v.name),
                claims: l.config.claims.length,
              })),
            });
          } else {
            for (const l of labs) {
              rt.print(
                `${l.config.name.padEnd(16)}${l.config.title} (${l.config.variants.length} variants, ${l.config.claims.length} claims)`,
              );
            }
            rt.print("\nRun one with `slimstage lab NAME`, or all of them with `slimstage lab all`.");
          }
          return EXIT.ok;
        }

        // Every build, probe and sidecar of a long run listens on the one Ctrl-C signal.
        setMaxListeners(200, rt.signal);
        const labels = parseLabels(flags.label ?? []);
        const { envOptions } = await import("../probe-options.js");
        const env = envOptions(flags.envFile ?? [], flags.env ?? []);
        if (!/^[a-z0-9][a-z0-9._/-]*$/.test(flags.tagPrefix ?? "slimstage-lab")) {
          throw new InputError(`--tag-prefix "${flags.tagPrefix}" is not a valid repository name`);
        }
        // Load (and so validate) every lab before building anything.
        const labs = await Promise.all(lab.resolveLabDirs(name, examplesDir).map((d) => lab.loadLab(d)));
        const { ProgressDisplay, PhaseClock, formatMs } = await import("../progress.js");
        const runs: import("../../lab/public.js").LabRun[] = [];
        // The phases planned (lint, build, analyze, verify per built variant; analyze and verify for a
        // reference image; at least a build for each of slimstage's own variants): a plan that grows
        // when more phases start, for the overall count and the time left.
        const clock = new PhaseClock(plannedPhases(labs, flags));
        const machine = await lab.machineInfo();
        const createdAt = new Date().toISOString();

        for (const l of labs) {
          const display = new ProgressDisplay(rt, `${l.config.name}: ${l.config.title}`);
          display.setFooter(() => clock.line());
          const run = await lab
            .runLab(l, {
              signal: rt.signal,
              labels,
              ...(Object.keys(env).length ? { env } : {}),
              ...(flags.cache === false ? { noCache: true } : {}),
              ...(flags.optimize === false ? { optimize: false } : {}),
              ...(flags.minify === false ? { minify: false } : {}),
              ...(flags.tagPrefix ? { tagPrefix: flags.tagPrefix } : {}),
              onProgress: (e) => {
                if (e.type === "phase-start") clock.start();
                else if (e.type === "phase-done") clock.finish();
                // With --json the live display is off; long runs still say on stderr what they did.
                if (rt.json) {
                  if (e.type === "phase-done") {
                    rt.info(
                      `${e.lab} ${e.variant}: ${e.phase} ${e.ok ? "ok" : "FAILED"} ${formatMs(e.durationMs)} ${firstLine(e.detail)} [${clock.line()}]`,
                    );
                  } else if (e.type === "lab-done") {
                    rt.info(`${e.lab}: ${e.ok ? "ok" : "NOT OK"} in ${formatMs(e.durationMs)}`);
                  }
                  return;
                }
                if (e.type === "phase-start") {
                  display.set(
                    `${e.variant}/${e.phase}`,
                    `${e.variant}: ${e.phase}${e.detail ? ` ${e.detail}` : ""}`,
                    "running",
                  );
                } else if (e.type === "phase-done") {
                  display.set(
                    `${e.variant}/${e.phase}`,
                    `${e.variant}: ${e.phase} ${e.ok ? "" : "FAILED "}${firstLine(e.detail)}`,
                    e.ok ? "done" : "failed",
                    // On a terminal the clock is the display's last line; in a log, on each finished phase.
                    rt.interactive ? formatMs(e.durationMs) : `${formatMs(e.durationMs)}  [${clock.line()}]`,
                  );
                } else if (e.type === "build-step" && rt.interactive) {
                  display.set(`${e.variant}/build`, `${e.variant}: build ${e.step}`, "running");
                } else if (e.type === "verify-step" && rt.interactive) {
                  display.set(`${e.variant}/verify`, `${e.variant}: verify: ${e.message}`, "running");
                } else if (e.type === "note") {
                  display.note(e.message);
                }
              },
            })
            .finally(() => display.finish());
          runs.push(run);
          if (!rt.json) rt.print(lab.formatLabTty(run, { color: rt.color, wide: flags.wide === true }));
          // With --json, stdout is the document: say on stderr what made the lab NOT OK.
          else for (const u of lab.unexpectedResults(run)) rt.info(`${run.name}: NOT OK: ${u}`);
        }

        const doc: import("../../lab/public.js").LabRunDocument = {
          schema: lab.LAB_RUN_SCHEMA_ID,
          createdAt,
          machine,
          labs: runs,
          ok: runs.every((r) => r.ok),
        };
        if (flags.report) {
          const html = await renderHtml(runs);
          if (html) {
            await writeFile(flags.report, html);
            rt.info(`report: ${flags.report}`);
          } else rt.info("no report: no variant produced an image");
        }
        if (rt.json) rt.printJson(doc);
        else if (runs.length > 1) {
          rt.print(
            `${runs.filter((r) => r.ok).length} of ${runs.length} labs OK: ${runs.map((r) => `${r.name} ${r.ok ? "ok" : "NOT OK"}`).join(", ")}`,
          );
        }
        return exitCode(runs);
      }),
    );
}

function firstLine(s: string): string {
  const line = s.split("\n")[0] ?? "";
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/**
 * 0 when every lab is OK; else what went wrong first: a build, a
 * verification, or a claim unmeasured or not with the verdict the lab expects (1).
 */
function exitCode(runs: ReadonlyArray<import("../../lab/public.js").LabRun>): number {
  const bad = runs.flatMap((r) => r.variants).filter((v) => !v.outcome.asExpected);
  if (bad.some((v) => v.outcome.status === "build-failed")) return EXIT.build;
  if (bad.some((v) => v.outcome.status === "verify-failed")) return EXIT.verify;
  if (bad.length > 0) return EXIT.findings;
  if (runs.some((r) => r.claims.some((c) => !c.asExpected))) return EXIT.findings;
  return EXIT.ok;
}

/** One HTML report: one lab as it is; several labs with their variants named lab/variant. */
async function renderHtml(
  runs: ReadonlyArray<import("../../lab/public.js").LabRun>,
): Promise<string | undefined> {
  const { renderReportHtml } = await import("../../report/html/render.js");
  const reports = runs.flatMap((r) => (r.report ? [{ run: r, report: r.report }] : []));
  const first = reports[0];
  if (!first) return undefined;
  if (reports.length === 1) return renderReportHtml(first.report);
  return renderReportHtml({
    schema: first.report.schema,
    title: `slimstage lab: ${reports.map((r) => basename(r.run.dir)).join(", ")}`,
    createdAt: first.report.createdAt,
    baseline: `${first.run.name}/${first.report.baseline}`,
    variants: reports.flatMap(({ run, report }) =>
      report.variants.map((v) => ({ ...v, name: `${run.name}/${v.name}` })),
    ),
    claims: reports.flatMap(({ run, report }) => (report.claims ?? []).map((c) => ({ ...c, lab: run.name }))),
  });
}
