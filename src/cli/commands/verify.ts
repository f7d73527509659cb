import { type Command, Option } from "commander";
import { InputError } from "../../errors.js";
import { EXIT } from "../exit-codes.js";
import { addProbeOptions, addRunOptions, composeOption, parseEnv, timeoutOption } from "../probe-options.js";
import { action, collect, examples } from "../runtime.js";

interface VerifyFlags {
  compose?: string;
  profile?: string[];
  service?: string;
  env?: string[];
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
  command
    .option("--label <k=v>", "label for the containers and network of the run (repeatable)", collect)
    .option("--cmd <command>", "run this shell command instead of the image's CMD")
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
        ["slimstage verify app:slim --json", "the result (probes, start-up time, peak memory) as JSON"],
      ]),
    )
    .action(
      action(async (rt, image: string, flags: VerifyFlags) => {
        const [
          { verifyImage },
          { parseProbeArgs, describeProbe },
          { ProgressDisplay, formatMs, formatBytes },
          { parseLabels },
        ] = await Promise.all([
          import("../../verify/verify.js"),
          import("../../verify/probe-spec.js"),
          import("../progress.js"),
          import("./build.js"),
        ]);
        type WaitSpec = import("../../verify/types.js").WaitSpec;
        const probes = parseProbeArgs(ordered);
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
        try {
          result = await verifyImage({
            image,
            probes,
            env: parseEnv(flags.env ?? []),
            ...(compose ? { compose } : {}),
            ...(wait.length ? { wait } : {}),
            ...(flags.cmd ? { command: ["/bin/sh", "-c", flags.cmd] } : {}),
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
          for (const w of result.warnings ?? []) rt.info(`note: ${w}`);
          for (const p of result.probes)
            rt.print(`${p.ok ? "ok  " : "FAIL"} ${describeProbe(p.probe)}: ${p.detail}`);
          for (const s of result.sidecars)
            rt.print(`     sidecar ${s.service} (${s.image}) ready in ${formatMs(s.readyMs)}`);
          const parts = [
            result.startupMs !== undefined ? `start-up ${formatMs(result.startupMs)}` : undefined,
            result.peakMemoryBytes !== undefined
              ? `peak memory ${formatBytes(result.peakMemoryBytes)}`
              : undefined,
          ].filter(Boolean);
          rt.print(
            `${result.ok ? "verified" : "FAILED"} ${image}${parts.length ? `: ${parts.join(", ")}` : ""}`,
          );
          if (!result.ok) {
            rt.info(`slimstage: verification failed: ${result.error ?? "a probe failed"}`);
            if (result.logs !== undefined) {
              const lines = result.logs.trimEnd().split("\n");
              const shown = rt.verbose ? lines : lines.slice(-30);
              rt.info(
                `--- container output${shown.length < lines.length ? ` (last ${shown.length} lines; all: --verbose)` : ""} ---`,
              );
              rt.info(shown.join("\n") || "(no output)");
            }
            for (const [svc, l] of Object.entries(result.sidecarLogs ?? {})) {
              rt.info(`--- sidecar ${svc} output ---`);
              rt.info(l.trimEnd().split("\n").slice(-15).join("\n") || "(no output)");
            }
          }
        }
        return result.ok ? EXIT.ok : EXIT.verify;
      }),
    );
}
