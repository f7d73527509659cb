import { type Command, Option } from "commander";
import type { RemovalAudit } from "../../minify/public.js";
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
import { pushTarget, pushVerified } from "../push-option.js";
import { action, type CliRuntime, collect, examples } from "../runtime.js";

interface MinifyFlags {
  out?: string;
  force?: boolean;
  tag?: string;
  include?: string[];
  compose?: string;
  profile?: string[];
  service?: string;
  env?: string[];
  envFile?: string[];
  liveness: string;
  maxRequests: string;
  /** false with --no-differential. */
  differential: boolean;
  cmd?: string;
  picker: string;
  timeout: string;
  level: string;
  keepTraceArgs?: boolean;
  keepSources?: boolean;
  stdlibArchive: boolean;
  push?: string;
}

export function define(program: Command): void {
  const command = program
    .command("minify")
    .description("Trace the files a running image uses and rebuild it from only those, verified")
    .argument("<image>", "image to minify (in the engine's store)");
  const ordered = addProbeOptions(command);
  addRunOptions(command);
  addProofOptions(command, { against: false });
  command
    .option(
      "--no-differential",
      "verify the minified image by its probes alone, not against the source's discovered request set",
    )
    .option(
      "--out <dir>",
      "where Dockerfile, closure.txt and trace.log go (default: ./<image name>-minified)",
    )
    .option("--force", "replace the files of an earlier minify in --out")
    .option("-t, --tag <name>", "tag of the minified image (default: <repository>-minified:<tag>)")
    .addOption(
      new Option(
        "--level <level>",
        "safe: keep whole every package, stdlib package, app tree and asset folder the run touched; tight: only the files it used",
      )
        .choices(["safe", "tight"])
        .default("safe"),
    )
    .option("--include <path>", "keep this path in the image whole, traced or not (repeatable)", collect)
    .option(
      "--cmd <command>",
      "run this shell command (with /bin/sh -c) instead of the image's ENTRYPOINT and CMD while tracing and verifying (the minified image keeps its own)",
    )
    .option(
      "--keep-sources",
      "ship library Python sources as they are (default: sourceless .pyc compiled by the image's interpreter)",
    )
    .option(
      "--no-stdlib-archive",
      "write the standard library's modules as loose .pyc instead of into the interpreter's deflated zip archive (larger, imports a little faster)",
    )
    .option(
      "--push <ref>",
      "push the minified image as HOST[:PORT]/NAME[:TAG] once it is verified (credentials: docker login)",
    )
    .option("--keep-trace-args", "write the traced programs' arguments into trace.log (redacted by default)")
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
    .action(action((rt, image: string, flags: MinifyFlags) => runMinify(rt, image, flags, ordered)));
}

/** "131 sourceless .pyc and 309 modules in /usr/local/lib/python311.zip (2.2 MB), 5 MB in all", or "440 sourceless .pyc (8.1 MB)". */
function compiledShape(c: NonNullable<RemovalAudit["compiled"]>, formatBytes: (n: number) => string): string {
  if (!c.archive) return `${c.files} sourceless .pyc (${formatBytes(c.bytes)})`;
  return `${c.files - 1} sourceless .pyc and ${c.archive.modules} modules in /${c.archive.path} (${formatBytes(c.archive.bytes)}), ${formatBytes(c.bytes)} in all`;
}

/** `slimstage minify`: flags read and checked, the run, its output and exit code. */
async function runMinify(
  rt: CliRuntime,
  image: string,
  flags: MinifyFlags,
  ordered: ReturnType<typeof addProbeOptions>,
): Promise<number> {
  // Checked before the minutes of tracing: an empty picker used to fail at the very end.
  const { checkImageReference } = await import("../../image/reference-grammar.js");
  checkImageReference(flags.picker, "--picker");
  const pushTo = flags.push !== undefined ? await pushTarget(flags.push) : undefined;
  const [{ minifyImage }, { parseProbeArgs, describeProbe }, { ProgressDisplay, formatMs, formatBytes }] =
    await Promise.all([
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
      env: envOptions(flags.envFile ?? [], flags.env ?? []),
      livenessMs: livenessOption(flags.liveness),
      differential: flags.differential,
      maxRequests: maxRequestsOption(flags.maxRequests),
      // The shell command replaces ENTRYPOINT and CMD alike (an image with ENTRYPOINT ["python3"] would get `python3 /bin/sh -c ...`).
      ...(flags.cmd ? { entrypoint: ["/bin/sh", "-c", flags.cmd] } : {}),
      picker: flags.picker,
      level: flags.level === "tight" ? "tight" : "safe",
      ...(flags.keepTraceArgs ? { keepTraceArgs: true } : {}),
      ...(flags.keepSources ? { keepSources: true } : {}),
      ...(flags.stdlibArchive === false ? { stdlibArchive: false } : {}),
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
  // Only a verified image leaves the machine.
  let pushed: { ref: string; digest?: string } | undefined;
  if (pushTo && flags.push !== undefined && result.ok) {
    rt.info(`pushing ${result.minified.tag} as ${flags.push}`);
    pushed = await pushVerified(result.minified.tag, flags.push, pushTo, rt.signal);
  }
  if (rt.json) {
    rt.printJson({ ...result, ...(pushed ? { pushed } : {}) });
  } else {
    const r = result;
    for (const w of r.warnings) rt.info(`note: ${w}`);
    rt.print(`source    ${r.source.image}: ${formatBytes(r.source.bytes)}, ${r.source.files} files`);
    rt.print(
      `traced    ${r.trace.syscalls} file and process calls (${r.trace.failed} failed lookups), ${r.trace.pathsUsed} paths used; ran ${r.trace.executed.join(", ") || "-"}`,
    );
    rt.print(
      `kept      ${r.closure.files} files, ${formatBytes(r.closure.bytes)} at --level ${r.level} (${r.files.list})`,
    );
    const a = r.audit;
    rt.print(
      `audit     of ${a.source.files} files and links (${formatBytes(a.source.bytes)}): kept ${a.kept.files} (${formatBytes(a.kept.bytes)}), removed ${a.removed.files} (${formatBytes(a.removed.bytes)}); every path in ${r.files.audit}`,
    );
    for (const g of a.keptByReason)
      rt.print(`  kept    ${g.reason.padEnd(10)} ${String(g.files).padStart(6)} ${formatBytes(g.bytes)}`);
    for (const g of a.removedByOwner.slice(0, 8))
      rt.print(
        `  removed ${`${g.kind}${g.name ? `:${g.name}` : ""}`.padEnd(30)} ${String(g.files).padStart(6)} ${formatBytes(g.bytes)}`,
      );
    if (a.removedByOwner.length > 8)
      rt.print(`  removed ... ${a.removedByOwner.length - 8} more owners (audit.md)`);
    if (a.compiled)
      rt.print(
        `compiled  ${a.compiled.sources.files} library sources (${formatBytes(a.compiled.sources.bytes)}) and ${a.compiled.cache.files} cached .pyc (${formatBytes(a.compiled.cache.bytes)}) -> ${compiledShape(a.compiled, formatBytes)}; --keep-sources to keep them`,
      );
    rt.print(`minified  ${r.minified.tag}: ${formatBytes(r.minified.bytes)} (${r.files.dockerfile})`);
    const { formatVerifyReport } = await import("../verify-report.js");
    const report = formatVerifyReport(r.verify, { verbose: rt.verbose, formatMs, formatBytes });
    // On failure the same lines follow the verdict, with what failed.
    if (r.ok) for (const l of report.err) rt.info(l);
    for (const l of report.out) rt.print(l);
    if (r.ok && r.savedBytes !== undefined) {
      const pct = ((100 * r.savedBytes) / r.source.bytes).toFixed(0);
      rt.print(
        `verified  ${formatBytes(r.minified.bytes)} instead of ${formatBytes(r.source.bytes)}: ${formatBytes(r.savedBytes)} (${pct}%) smaller${r.verify.startupMs !== undefined ? `, start-up ${formatMs(r.verify.startupMs)}` : ""}`,
      );
      if (pushed) rt.print(`pushed    ${pushed.ref}${pushed.digest ? ` (${pushed.digest})` : ""}`);
    } else {
      rt.print(`FAILED    the minified image did not pass its probes: ${r.verify.error ?? "a probe failed"}`);
      if (flags.push !== undefined) rt.info(`not pushed: ${flags.push} (the image is not verified)`);
      rt.info(
        "the trace missed files the app needs: add probes that reach them, or keep them with --include",
      );
      for (const l of report.err) rt.info(l);
    }
  }
  return result.ok ? EXIT.ok : EXIT.verify;
}
