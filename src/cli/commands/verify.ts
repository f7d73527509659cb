import { type Command, Option } from "commander";
import { InputError } from "../../errors.js";
import { EXIT } from "../exit-codes.js";
import {
  addProbeOptions,
  addProofOptions,
  addRunOptions,
  composeOption,
  envOptions,
  livenessOption,
  maxRequestsOption,
  timeoutOption,
} from "../probe-options.js";
import { action, collect, examples } from "../runtime.js";

interface VerifyFlags {
  compose?: string;
  profile?: string[];
  service?: string;
  env?: string[];
  envFile?: string[];
  against?: string;
  liveness: string;
  maxRequests: string;
  probesFile?: string;
  timeout: string;
  waitLog?: string[];
  waitPort?: string[];
  waitHealthy?: boolean;
  cmd?: string;
  label?: string[];
}

export function define(program: Command): void {
  const command = program
    .command("verify")
    .description("Run an image with probes and sidecars and measure start-up")
    .argument("<image>", "image to run (name, tag or id)");
  const ordered = addProbeOptions(command);
  addRunOptions(command);
  addProofOptions(command, { against: true });
  command
    .option("--probes-file <file>", "probes from a YAML file (see docs/verify.md)")
    .option("--label <k=v>", "label for the containers and network of the run (repeatable)", collect)
    .option(
      "--cmd <command>",
      "run this shell command instead of the image's ENTRYPOINT and CMD (with /bin/sh -c)",
    )
    .option("--wait-log <regex>", "wait for a matching log line before probing (repeatable)", collect)
    .option("--wait-port <port>", "wait for a TCP port before probing (repeatable)", collect)
    .option("--wait-healthy", "wait for the image's HEALTHCHECK to pass before probing")
    .addOption(new Option("--timeout <seconds>", "limit for start-up and probes").default("60"))
    .addHelpText(
      "after",
      examples([
        [
          "slimstage verify hello:multi --probe http://:5000/ --expect-status 200 --expect-body 'Hello'",
          "start the image on a private network and check its page",
        ],
        [
          "slimstage verify counter:slim --compose docker-compose.yml --service web --probe http://:5000/ --repeat 3 --expect-body 'seen {n} times'",
          "start Redis from the compose file first; the hit counter must count 1, 2, 3",
        ],
        ["slimstage verify cache:7 --probe tcp:6379", "a TCP port must accept connections"],
        [
          "slimstage verify app:slim --probe 'cmd:python -c \"import flask\"'",
          "a command in the container must succeed",
        ],
        [
          "slimstage verify app:slim --against app:original",
          "send the request set discovered on the original to both; every answer must match",
        ],
        [
          'slimstage verify api:slim --probe http://:8000/notes --json \'{"text": "hi"}\' --expect-content-type application/json',
          "a JSON POST probe",
        ],
        ["slimstage verify app:slim --env-file .env", "configure the app from a file"],
        ["slimstage verify app:slim --json", "the result (probes, start-up time, peak memory) as JSON"],
      ]),
    )
    .action(
      action(async (rt, image: string, flags: VerifyFlags) => {
        const [
          { verifyImage },
          { verifyAgainst },
          { parseProbeArgs, describeProbe },
          { ProgressDisplay, formatMs, formatBytes },
          { parseLabels },
        ] = await Promise.all([
          import("../../verify/verify.js"),
          import("../../verify/differential.js"),
          import("../../verify/probe-spec.js"),
          import("../progress.js"),
          import("./build.js"),
        ]);
        type WaitSpec = import("../../verify/types.js").WaitSpec;
        const probes = parseProbeArgs(ordered);
        let fileCommand: string[] | undefined;
        if (flags.probesFile) {
          const { loadProbesFile } = await import("../../verify/probes/probes-file.js");
          const loaded = await loadProbesFile(flags.probesFile);
          probes.push(...loaded.probes);
          fileCommand = loaded.command;
        }
        const compose = composeOption(flags.compose, flags.service, flags.profile);
        const timeoutMs = timeoutOption(flags.timeout);
        const wait: WaitSpec[] = [
          ...(flags.waitPort ?? []).map((p): WaitSpec => {
            const n = Number(p);
            if (!Number.isInteger(n) || n < 1 || n > 65535)
              throw new InputError(`--wait-port "${p}" is not a port`);
            return { kind: "port", port: n };
          }),
          ...(flags.waitLog ?? []).map((pattern): WaitSpec => {
            try {
              new RegExp(pattern);
            } catch {
              throw new InputError(`--wait-log "${pattern}" is not a valid regular expression`);
            }
            return { kind: "log", pattern };
          }),
          ...(flags.waitHealthy ? [{ kind: "healthy" } as const] : []),
        ];

        const display = await ProgressDisplay.create(rt, rt.interactive ? `verifying ${image}` : undefined);
        let phaseKey = 0;
        let current: { key: string; text: string } | undefined;
        let result: Awaited<ReturnType<typeof verifyImage>>;
        const env = envOptions(flags.envFile ?? [], flags.env ?? []);
        const livenessMs = livenessOption(flags.liveness);
        const maxRequests = maxRequestsOption(flags.maxRequests);
        const run = (o: Parameters<typeof verifyImage>[0]) =>
          flags.against
            ? verifyAgainst({ ...o, against: flags.against, discovery: { maxRequests } })
            : verifyImage(o);
        try {
          result = await run({
            image,
            probes,
            env,
            livenessMs,
            ...(compose ? { compose } : {}),
            ...(wait.length ? { wait } : {}),
            // The shell command replaces ENTRYPOINT and CMD alike, as `docker run --entrypoint` does.
            ...(flags.cmd
              ? { entrypoint: ["/bin/sh", "-c", flags.cmd] }
              : fileCommand
                ? { command: fileCommand }
                : {}),
            timeoutMs,
            labels: parseLabels(flags.label ?? []),
            signal: rt.signal,
            onProgress: (e) => {
              // The current phase runs (with a timer on a terminal) until the next one starts.
              // Elsewhere, a phase is one plain line when it starts.
              if (current) display.set(current.key, current.text, "done");
              current = undefined;
              if (e.type === "phase") {
                if (rt.interactive) {
                  current = { key: `phase${phaseKey++}`, text: e.message };
                  display.set(current.key, current.text, "running");
                } else display.set(`phase${phaseKey++}`, e.message, "info");
              } else {
                const r = e.result;
                display.set(
                  `probe${phaseKey++}`,
                  describeProbe(r.probe),
                  r.ok ? "done" : "failed",
                  `${r.detail.slice(0, 60)}  ${formatMs(r.durationMs)}`,
                );
              }
            },
          });
        } finally {
          if (current) display.set(current.key, current.text, "done");
          display.finish();
        }

        if (rt.json) {
          rt.printJson(result);
        } else {
          const { formatVerifyReport } = await import("../verify-report.js");
          const { out, err } = formatVerifyReport(result, { verbose: rt.verbose, formatMs, formatBytes });
          for (const l of out) rt.print(l);
          for (const l of err) rt.info(l);
        }
        return result.ok ? EXIT.ok : EXIT.verify;
      }),
    );
}
