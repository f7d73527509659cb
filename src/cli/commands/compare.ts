import { type Command, Option } from "commander";
import type { CompareVerifyOptions } from "../../report/compare-run.js";
import { action, type CliRuntime, collect, examples } from "../runtime.js";

export interface CompareFlags {
  baseline?: string;
  markdown?: boolean;
  maxSize?: string;
  maxRatio?: string;
  verify?: boolean;
  probe?: string[];
  env?: string[];
  envFile?: string[];
  liveness?: string;
  compose?: string;
  profile?: string[];
  service?: string;
  timeout?: string;
  title?: string;
  fromBuild?: string;
  /** false with --no-estimate-compressed. */
  estimateCompressed?: boolean;
}

/**
 * The verification options shared by `compare` and `report` (probes as in
 * `slimstage verify`). An `--expect-*` flag belongs to the `--probe` before
 * it, so the probe flags are recorded in command-line order (commander calls
 * the parsers in that order) and handed to the verify area's parser as argv.
 */
export function addVerifyOptions(cmd: Command): string[] {
  const probeArgv: string[] = [];
  const record = (flag: string) => (value: string, previous: string[] | undefined) => {
    probeArgv.push(flag, value);
    return [...(previous ?? []), value];
  };
  const hidden = (flag: string, what: string) =>
    cmd.addOption(new Option(`${flag} <value>`, what).argParser(record(flag)).hideHelp());
  cmd
    .option("--verify", "verify every image (probes from --probe, or its exposed ports)")
    .addOption(
      new Option(
        "--probe <spec>",
        "verify every image with this probe: http://:PORT/PATH, tcp:PORT, cmd:COMMAND",
      ).argParser(record("--probe")),
    );
  hidden("--expect-status", "HTTP status the probe before must answer");
  hidden("--expect-body", "text the probe's body must contain");
  hidden("--expect-json", "JSON field of the body: PATH=VALUE");
  hidden("--expect-output", "text a cmd probe must print");
  hidden("--expect-exit", "exit code of a cmd probe");
  hidden("--repeat", "send the HTTP probe n times");
  hidden("--expect-sequence", "text of the i-th response");
  hidden("--method", "HTTP method of the probe");
  hidden("--header", "request header of the probe: 'Name: value'");
  hidden("--body", "request body of the probe");
  hidden("--body-file", "request body of the probe, from a file");
  hidden("--json", "JSON request body of the probe");
  hidden("--expect-content-type", "Content-Type the answer must start with");
  hidden("--request-timeout", "limit for one request of the probe, seconds");
  cmd
    .option("--env <K=V>", "environment variable for the verified containers", collect)
    .option(
      "--env-file <file>",
      "environment variables for the verified containers, KEY=VALUE lines",
      collect,
    )
    .option(
      "--liveness <seconds>",
      "each verified app must stay up this long after the last request (default 3)",
    )
    .option("--compose <file>", "take sidecars and environment from this compose file")
    .option("--service <name>", "the compose service the images stand for")
    .option("--profile <name>", "enable a compose profile (repeatable)", collect)
    .option("--timeout <seconds>", "limit for each image's start-up and probes")
    .addHelpText(
      "after",
      "\nProbe expectations (--expect-status, --expect-body, --expect-json, --expect-output, --expect-exit,\n--repeat, --expect-sequence, --method, --header, --body, --body-file, --json, --expect-content-type,\n--request-timeout) apply to the --probe before them, as in `slimstage verify`.\nWith a --baseline, every other image is verified against it: the request set discovered on the\nbaseline must be answered alike (differential verification, as `slimstage verify --against`).\n",
    );
  return probeArgv;
}

/** Reads the verify flags; undefined when no verification was asked for. */
export async function verifyOptionsFrom(
  flags: CompareFlags,
  probeArgv: readonly string[],
): Promise<CompareVerifyOptions | undefined> {
  // An --expect-* without a --probe is an error the probe parser reports, so it runs then too.
  if (!flags.verify && probeArgv.length === 0 && !flags.compose) return undefined;
  const { InputError } = await import("../../errors.js");
  const { parseProbeArgs } = await import("../../verify/probe-spec.js");
  const { envOptions, livenessOption, composeOption } = await import("../probe-options.js");
  const env = envOptions(flags.envFile ?? [], flags.env ?? []);
  const compose = composeOption(flags.compose, flags.service, flags.profile);
  let timeoutMs: number | undefined;
  if (flags.timeout !== undefined) {
    const s = Number(flags.timeout);
    if (!(s > 0)) throw new InputError(`--timeout "${flags.timeout}" must be a positive number of seconds`);
    timeoutMs = s * 1000;
  }
  return {
    probes: parseProbeArgs(probeArgv),
    ...(Object.keys(env).length ? { env } : {}),
    ...(compose ? { compose } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(flags.liveness !== undefined ? { livenessMs: livenessOption(flags.liveness) } : {}),
    labels: { "org.slimstage.managed": "true" },
  };
}

/** The images of the command line, after those of --from-build; at least one. */
export async function imagesFrom(
  refs: readonly string[],
  flags: Pick<CompareFlags, "fromBuild">,
): Promise<import("../../report/compare-run.js").NamedImage[]> {
  const { InputError } = await import("../../errors.js");
  const { parseNamedImage } = await import("../../report/compare-run.js");
  const images = [];
  if (flags.fromBuild !== undefined) {
    const { readFile } = await import("node:fs/promises");
    const { imagesFromBuildOutput } = await import("../../report/from-build.js");
    let text: string;
    try {
      text = flags.fromBuild === "-" ? await readStdin() : await readFile(flags.fromBuild, "utf8");
    } catch (e) {
      throw new InputError(
        `cannot read ${flags.fromBuild}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      );
    }
    images.push(...imagesFromBuildOutput(text, flags.fromBuild === "-" ? "<stdin>" : flags.fromBuild));
  }
  images.push(...refs.map(parseNamedImage));
  if (images.length === 0) {
    throw new InputError("nothing to compare: give images or --from-build BUILD.json", {
      hint: "e.g. slimstage compare app:single app:multi",
    });
  }
  return images;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks).toString("utf8");
}

export function progressPrinter(rt: CliRuntime) {
  return (e: import("../../report/compare-run.js").CompareProgressEvent) => {
    if (e.type === "analyze") rt.info(`analysing ${e.name}${e.name !== e.ref ? ` (${e.ref})` : ""}`);
    else if (e.type === "verify") rt.info(`verifying ${e.name}`);
    else if (rt.verbose) rt.info(`${e.name} done in ${(e.ms / 1000).toFixed(1)} s`);
  };
}

/**
 * The comparison both `compare` and `report` run from the command line: the
 * verify flags first (bad input fails before any image is read), then the
 * images, then the run with progress on stderr.
 */
export async function runComparison(
  rt: CliRuntime,
  refs: readonly string[],
  flags: CompareFlags,
  probeArgv: readonly string[],
): Promise<import("../../report/compare-run.js").CompareRunResult> {
  const { compareRun } = await import("../../report/compare-run.js");
  const verify = await verifyOptionsFrom(flags, probeArgv);
  const images = await imagesFrom(refs, flags);
  return compareRun({
    images,
    ...(flags.baseline !== undefined ? { baseline: flags.baseline } : {}),
    ...(verify ? { verify } : {}),
    estimateCompressed: flags.estimateCompressed !== false,
    signal: rt.signal,
    onProgress: progressPrinter(rt),
  });
}

export function define(program: Command): void {
  const cmd = program
    .command("compare")
    .description("Compare images side by side with ratios to a baseline")
    .argument(
      "[image...]",
      "images to compare: REF or NAME=REF (docker://, docker-archive://, oci-layout://)",
    )
    .option(
      "--from-build <build.json>",
      "compare the variants of a build (the --json output of `slimstage build`)",
    )
    .option(
      "--baseline <image>",
      "name or ref of the baseline (default: the first image); another ref is added",
    )
    .option("--markdown", "print a markdown table (for a pull-request comment)")
    .option("--max-size <size>", "gate: fail (exit 1) when a compared image is larger, e.g. 150MB, 200MiB")
    .option(
      "--max-ratio <ratio>",
      "gate: fail (exit 1) when an image is larger than this fraction of the baseline",
    )
    .option("--title <text>", "title of the run (kept in --json for `slimstage report`)")
    .option(
      "--no-estimate-compressed",
      "skip gzip-estimating compressed sizes (about 2x faster; that column is empty)",
    );
  const probeArgv = addVerifyOptions(cmd);
  cmd
    .addHelpText(
      "after",
      examples([
        ["slimstage compare app:single app:multi", "size, layers, waste and packages, ratios to app:single"],
        [
          "slimstage compare single=app:1 multi=app:2 --probe http://:5000/ --expect-status 200",
          "verify each image too: start-up time, peak memory, and a failed image's saving is not claimed",
        ],
        ["slimstage compare app:multi --baseline app:single --max-ratio 50%", "CI gate against the baseline"],
        ["slimstage compare --json app:1 app:2 > run.json", "a run document for `slimstage report --from`"],
        ["slimstage compare --markdown app:1 app:2", "a markdown table"],
        [
          "slimstage build --variant single=Dockerfile --variant multi=Dockerfile.multi --json > build.json && slimstage compare --from-build build.json",
          "compare the variants of a build",
        ],
      ]),
    )
    .action(
      action(async (rt, refs: string[], flags: CompareFlags) => {
        const { buildGates, evaluateGates } = await import("../../report/gates.js");
        const fmt = await import("../../report/compare-format.js");
        const { EXIT } = await import("../exit-codes.js");
        // Thresholds and probes are checked before any image is read.
        const gates = buildGates({
          ...(flags.maxSize !== undefined ? { maxSize: flags.maxSize } : {}),
          ...(flags.maxRatio !== undefined ? { maxRatio: flags.maxRatio } : {}),
        });
        const result = await runComparison(rt, refs, flags, probeArgv);
        const outcome = gates.length ? evaluateGates(result.comparison, gates) : undefined;
        if (rt.json) {
          rt.printJson(
            fmt.comparisonDocument(result.variants, result.comparison, {
              ...(outcome ? { gates: outcome } : {}),
              ...(flags.title ? { title: flags.title } : {}),
            }),
          );
        } else if (flags.markdown) {
          rt.print(fmt.formatComparisonMarkdown(result.comparison, outcome ? { gates: outcome } : {}));
        } else {
          rt.print(
            fmt.formatComparisonTty(result.comparison, {
              color: rt.color,
              ...(outcome ? { gates: outcome } : {}),
            }),
          );
        }
        // A failed verification outranks a size gate: a smaller image that does not work is no saving.
        if (result.comparison.rows.some((r) => r.verify.status === "failed")) return EXIT.verify;
        if (outcome && !outcome.passed) return EXIT.findings;
        return EXIT.ok;
      }),
    );
}
