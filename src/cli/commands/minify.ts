import { type Command, Option } from "commander";
import { EXIT } from "../exit-codes.js";
import { addProbeOptions, addRunOptions, composeOption, parseEnv, timeoutOption } from "../probe-options.js";
import { action, collect, examples } from "../runtime.js";

interface MinifyFlags {
  out?: string;
  force?: boolean;
  tag?: string;
  include?: string[];
  compose?: string;
  profile?: string[];
  service?: string;
  env?: string[];
  cmd?: string;
  picker: string;
  timeout: string;
}

export function define(program: Command): void {
  const command = program
    .command("minify")
    .description("Trace the files a running image uses and rebuild it from only those, verified")
    .argument("<image>", "image to minify (in the engine's store)");
  const ordered = addProbeOptions(command);
  addRunOptions(command);
  command
    .option(
      "--out <dir>",
      "where Dockerfile, closure.txt and trace.log go (default: ./<image name>-minified)",
    )
    .option("--force", "replace the files of an earlier minify in --out")
    .option("-t, --tag <name>", "tag of the minified image (default: <repository>-minified:<tag>)")
    .option("--include <path>", "keep this path in the image whole, traced or not (repeatable)", collect)
    .option(
      "--cmd <command>",
      "run this shell command instead of the image's CMD while tracing and verifying (the minified image keeps its CMD)",
    )
    .addOption(
      new Option("--picker <image>", "image with GNU tar for the picker stage").default(
        "debian:bookworm-slim",
      ),
    )
    .addOption(
      new Option("--timeout <seconds>", "limit for the traced run and for the verification").default("120"),
    )
    .addHelpText(
      "after",
      examples([
        [
          "slimstage minify hello:single --probe http://:5000/ --expect-body Hello",
          "trace the Flask app while its page answers, keep what it used, rebuild and verify",
        ],
        [
          "slimstage minify counter:prod --compose docker-compose.yml --service web --probe http://:5000/ --repeat 3 --expect-body 'seen {n} times'",
          "with Redis from the compose file running beside it",
        ],
        [
          "slimstage minify app:1 --probe http://:8080/ --include /app/templates --out build/minified",
          "keep a directory the probes do not reach; write the Dockerfile to build/minified",
        ],
        [
          "slimstage minify app:1 --probe tcp:8080 --json",
          "the result (sizes, closure, both verifications) as JSON",
        ],
      ]),
    )
    .action(
      action(async (rt, image: string, flags: MinifyFlags) => {
        const [
          { minifyImage },
          { parseProbeArgs, describeProbe },
          { ProgressDisplay, formatMs, formatBytes },
        ] = await Promise.all([
          import("../../minify/minify.js"),
          import("../../verify/probe-spec.js"),
          import("../progress.js"),
        ]);
        const probes = parseProbeArgs(ordered);
        const compose = composeOption(flags.compose, flags.service, flags.profile);
        const timeoutMs = timeoutOption(flags.timeout);
        const outDir =
          flags.out ??
          `${
            image
              .replace(/[@:].*$/, "")
              .split("/")
              .pop() ?? "image"
          }-minified`;
        const display = await ProgressDisplay.create(rt, rt.interactive ? `minifying ${image}` : undefined);
        let key = 0;
        let current: { key: string; text: string } | undefined;
        // On a terminal the current row runs until the next starts; elsewhere each is one plain line.
        const row = (text: string) => {
          if (current) display.set(current.key, current.text, "done");
          current = undefined;
          if (!rt.interactive) return display.set(`row${key++}`, text, "info");
          current = { key: `row${key++}`, text };
          display.set(current.key, text, "running");
        };
        let result: Awaited<ReturnType<typeof minifyImage>>;
        try {
          result = await minifyImage({
            image,
            probes,
            outDir,
            ...(flags.force ? { force: true } : {}),
            ...(flags.tag ? { tag: flags.tag } : {}),
            ...(flags.include ? { include: flags.include } : {}),
            ...(compose ? { compose } : {}),
            env: parseEnv(flags.env ?? []),
            ...(flags.cmd ? { command: ["/bin/sh", "-c", flags.cmd] } : {}),
            picker: flags.picker,
            timeoutMs,
            signal: rt.signal,
            onProgress: (e) => {
              if (e.type === "phase") row(e.message);
              else if (e.type === "build" && e.event.type === "step-start" && !e.event.step.internal)
                row(
                  `  ${e.what === "tracer" ? "tracer: " : ""}${e.event.step.instruction ?? e.event.step.name}`.slice(
                    0,
                    100,
                  ),
                );
              else if (e.type === "verify" && e.event.type === "probe") {
                const r = e.event.result;
                display.set(
                  `probe${key++}`,
                  `  ${e.phase === "trace" ? "traced " : ""}${describeProbe(r.probe)}`,
                  r.ok ? "done" : "failed",
                  r.detail.slice(0, 60),
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
          const r = result;
          for (const w of r.warnings) rt.info(`note: ${w}`);
          rt.print(`source    ${r.source.image}: ${formatBytes(r.source.bytes)}, ${r.source.files} files`);
          rt.print(
            `traced    ${r.trace.syscalls} file and process calls (${r.trace.failed} failed lookups), ${r.trace.pathsUsed} paths used; ran ${r.trace.executed.join(", ") || "-"}`,
          );
          rt.print(`kept      ${r.closure.files} files, ${formatBytes(r.closure.bytes)} (${r.files.list})`);
          rt.print(`minified  ${r.minified.tag}: ${formatBytes(r.minified.bytes)} (${r.files.dockerfile})`);
          for (const p of r.verify.probes)
            rt.print(`${p.ok ? "ok  " : "FAIL"} ${describeProbe(p.probe)}: ${p.detail}`);
          if (r.ok && r.savedBytes !== undefined) {
            const pct = ((100 * r.savedBytes) / r.source.bytes).toFixed(0);
            rt.print(
              `verified  ${formatBytes(r.minified.bytes)} instead of ${formatBytes(r.source.bytes)}: ${formatBytes(r.savedBytes)} (${pct}%) smaller${r.verify.startupMs !== undefined ? `, start-up ${formatMs(r.verify.startupMs)}` : ""}`,
            );
          } else {
            rt.print(
              `FAILED    the minified image did not pass its probes: ${r.verify.error ?? "a probe failed"}`,
            );
            rt.info(
              "the trace missed files the app needs: add probes that reach them, or keep them with --include",
            );
            if (r.verify.logs) rt.info(r.verify.logs.trimEnd().split("\n").slice(-20).join("\n"));
          }
        }
        return result.ok ? EXIT.ok : EXIT.verify;
      }),
    );
}
