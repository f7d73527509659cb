import { relative } from "node:path";
import { type Command, Option } from "commander";
import { InputError } from "../../errors.js";
import { formatBytes } from "../../image/format/units.js";
import type { OptimizeResult } from "../../plan/optimize.js";
import type { Probe } from "../../verify/types.js";
import { EXIT } from "../exit-codes.js";
import {
  addProbeOptions,
  addProofOptions,
  composeOption,
  envOptions,
  livenessOption,
  maxRequestsOption,
} from "../probe-options.js";
import { pushTarget, pushVerified } from "../push-option.js";
import { action, type CliRuntime, collect, examples } from "../runtime.js";
import { verifiedCoverage } from "../verify-report.js";

interface OptimizeFlags {
  from?: string;
  target?: string;
  tier: "slim" | "distroless";
  allTiers?: boolean;
  entry?: string;
  port?: string;
  compose?: string;
  service?: string;
  profile?: string[];
  write?: boolean;
  planOnly?: boolean;
  tests?: boolean;
  cacheMounts?: boolean;
  ignoreLock?: boolean;
  keepImages?: boolean;
  timeout?: string;
  env?: string[];
  envFile?: string[];
  against?: string;
  liveness: string;
  maxRequests: string;
  probesFile?: string;
  allowSecret?: string[];
  writable?: string[];
  push?: string;
}

/** Removes the run's tier tags (what --no-keep-images does inside optimize, after a push here). */
async function untagAll(images: readonly (string | undefined)[]): Promise<void> {
  const [{ connectEngine }, { untagLocalImage }] = await Promise.all([
    import("../../engine/connect.js"),
    import("../../engine/local-images.js"),
  ]);
  const engine = await connectEngine();
  for (const image of images) if (image) await untagLocalImage(engine, image);
}

function mb(bytes: number | undefined): string {
  return bytes === undefined ? "-" : formatBytes(bytes);
}

export function define(program: Command): void {
  const command = program
    .command("optimize")
    .description("Write or rewrite a multi-stage Dockerfile for a project, built and verified")
    .argument("[dir]", "project directory (Python or Node)", ".");
  // The probe flags of `slimstage verify`, same grammar.
  const ordered = addProbeOptions(command);
  addProofOptions(command, { against: true });
  command
    .option("--probes-file <file>", "probes from a YAML file (see docs/verify.md)")
    .option("--env <k=v>", "environment variable for the verified containers (repeatable)", collect)
    .option(
      "--env-file <file>",
      "environment variables for the verified containers, KEY=VALUE lines",
      collect,
    )
    .option(
      "--from <dockerfile>",
      "existing Dockerfile to rewrite, a path relative to DIR (default: DIR/Dockerfile when present)",
    )
    .option(
      "--target <stage>",
      "the stage of that Dockerfile the image stands for (default: the compose service's build.target, else the last)",
    )
    .addOption(
      new Option("--tier <tier>", "most aggressive tier to try; a failing tier falls back to slim")
        .choices(["slim", "distroless"])
        .default("distroless"),
    )
    .option("--all-tiers", "build and verify every tier, for comparison")
    .option("--entry <command>", "the command that starts the app, when detection cannot tell")
    .option("--port <port>", "the port the app listens on")
    .option("--compose <file>", "compose file whose service's depends_on run as sidecars")
    .option("--service <name>", "the compose service the image stands for")
    .option("--profile <name>", "enable a compose profile (repeatable)", collect)
    .option("--write", "write Dockerfile, .dockerignore and generated files into DIR (backups kept)")
    .option("--plan-only", "print the plan without building or verifying (nothing is proven)")
    .option("--no-tests", "leave out the test stage")
    .option(
      "--no-cache-mounts",
      "write RUN steps without BuildKit cache mounts: any builder takes the file (the classic builder, docker-compose 1.x)",
    )
    .option("--ignore-lock", "install from the manifest even when the lockfile is out of sync")
    .option("--no-keep-images", "remove the built images afterwards")
    .option(
      "--push <ref>",
      "push the chosen tier's image as HOST[:PORT]/NAME[:TAG] once it is verified (credentials: docker login)",
    )
    .option("--timeout <seconds>", "verification time limit per tier", "90")
    .option(
      "--writable <path...>",
      "a folder the app writes to (absolute or relative to the app folder), owned by the app user",
    )
    .option(
      "--allow-secret <path...>",
      "copy this key- or credential-looking project file into the image anyway (refused by default)",
    )
    .addHelpText(
      "after",
      examples([
        [
          "slimstage optimize examples/lab-000",
          "plan, build and verify (distroless, falling back to slim); prints the Dockerfile",
        ],
        [
          "slimstage optimize . --tier slim --write",
          "write the verified slim Dockerfile (old files kept as *.slimstage.bak)",
        ],
        [
          "slimstage optimize . --from Dockerfile.prod --probe http://:5000/ --expect-status 200",
          "rewrite an existing Dockerfile, verified with a probe",
        ],
        [
          "slimstage optimize examples/hit-counter-ts --all-tiers --json",
          "both tiers with sizes and verification, as JSON",
        ],
        [
          "slimstage optimize . --plan-only --entry 'python worker.py'",
          "only show the plan, with an explicit entry point",
        ],
        [
          "slimstage optimize . --push registry.example:5000/team/app:slim",
          "push the verified image (nothing is pushed when no tier verifies)",
        ],
      ]),
    )
    .action(action((rt, dir: string, flags: OptimizeFlags) => runOptimize(rt, dir, flags, ordered)));
}

/** `slimstage optimize`: flags read and checked, the run, its output and exit code. */
async function runOptimize(
  rt: CliRuntime,
  dir: string,
  flags: OptimizeFlags,
  ordered: ReturnType<typeof addProbeOptions>,
): Promise<number> {
  const [
    { optimizeProject },
    { parseProbeArgs, describeProbe },
    { splitSimpleShell },
    { findLabOptimizeDefaults },
  ] = await Promise.all([
    import("../../plan/optimize.js"),
    import("../../verify/probe-spec.js"),
    import("../../plan/detect/existing.js"),
    import("../../lab/optimize-defaults.js"),
  ]);
  // Checked before the builds: a bad reference used to be found only at the end.
  const pushTo = flags.push !== undefined ? await pushTarget(flags.push) : undefined;
  if (pushTo && flags.planOnly)
    throw new InputError("--push needs a built image: drop --plan-only", {
      hint: "slimstage optimize DIR --push HOST/NAME:TAG builds, verifies, then pushes",
    });
  const compose = composeOption(flags.compose, flags.service, flags.profile);
  const probes = parseProbeArgs(ordered);
  if (flags.probesFile) {
    const { loadProbesFile } = await import("../../verify/probes/probes-file.js");
    probes.push(...(await loadProbesFile(flags.probesFile)).probes);
  }
  const env = envOptions(flags.envFile ?? [], flags.env ?? []);
  let port: number | undefined;
  if (flags.port !== undefined) {
    port = Number(flags.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new InputError(`--port ${flags.port} is not a port number`);
  }
  let entry: string[] | undefined;
  if (flags.entry !== undefined) {
    entry = splitSimpleShell(flags.entry);
    if (!entry)
      throw new InputError(`--entry '${flags.entry}' must be a plain command (no shell operators)`, {
        hint: "wrap shell logic in a script and pass --entry 'sh script.sh'",
      });
  }
  const timeout = Number(flags.timeout ?? "90");
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new InputError(`--timeout ${flags.timeout} is not a number of seconds`);

  const { PhaseClock } = await import("../progress.js");
  // Build and verify per tier: one tier, or every tier from --tier on with --all-tiers.
  // Tiers go distroless -> slim (plan/optimize.ts TIER_ORDER).
  const tierCount = flags.allTiers && flags.tier === "distroless" ? 2 : 1;
  const clock = new PhaseClock(2 * tierCount);
  let started = 0;
  // A lab's lab.yaml supplies the probe and sidecars the flags leave out.
  const defaults = await findLabOptimizeDefaults(dir);
  const result = await optimizeProject(dir, {
    ...(defaults ? { defaults } : {}),
    ...(flags.from ? { from: flags.from } : {}),
    ...(flags.target ? { target: flags.target } : {}),
    tier: flags.tier,
    ...(flags.allTiers ? { allTiers: true } : {}),
    ...(probes.length > 0 ? { probes } : {}),
    ...(compose ? { compose } : {}),
    ...(flags.write ? { write: true } : {}),
    ...(flags.planOnly ? { planOnly: true } : {}),
    ...(flags.tests === false ? { skipTests: true } : {}),
    ...(flags.cacheMounts === false ? { cacheMounts: false } : {}),
    // The image to push must outlive the run; it is untagged after the push.
    ...(flags.keepImages === false && !pushTo ? { keepImages: false } : {}),
    verifyTimeoutMs: timeout * 1000,
    ...(Object.keys(env).length > 0 ? { env } : {}),
    livenessMs: livenessOption(flags.liveness),
    ...(flags.against ? { against: flags.against, maxRequests: maxRequestsOption(flags.maxRequests) } : {}),
    ...(flags.allowSecret?.length ? { allowSecrets: flags.allowSecret } : {}),
    ...(flags.writable?.length ? { writable: flags.writable } : {}),
    detect: {
      ...(entry ? { entry } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(flags.ignoreLock ? { ignoreLock: true } : {}),
    },
    signal: rt.signal,
    onProgress: (e) => {
      if (e.type === "phase") {
        // Each "building"/"verifying" message starts a phase; a fallback plans the next tier's two.
        if (e.failed) {
          if (e.failed.fallback) clock.plan(2);
        } else {
          if (started > 0) clock.finish();
          started++;
          clock.start();
        }
        rt.info(`${e.tier ? `[${e.tier}] ` : ""}${e.message}  [${clock.line()}]`);
      } else if (rt.verbose && e.type === "build" && e.event.type === "step-start")
        rt.info(`[${e.tier}] ${e.event.step.name}`);
    },
  });

  // Only a verified image leaves the machine.
  let pushed: { ref: string; digest?: string } | undefined;
  const chosen = result.attempts.find((a) => a.tier === result.tier && a.status === "verified");
  if (pushTo && flags.push !== undefined && result.ok && chosen?.image) {
    rt.info(`pushing ${chosen.image} as ${flags.push}`);
    try {
      pushed = await pushVerified(chosen.image, flags.push, pushTo, rt.signal);
    } finally {
      if (flags.keepImages === false) await untagAll(result.attempts.map((a) => a.image));
    }
  }

  if (rt.json) {
    rt.printJson({
      ok: result.ok,
      ...(pushed ? { pushed } : {}),
      tier: result.tier ?? null,
      project: { ...result.project, dir: relative(process.cwd(), result.project.dir) || "." },
      target: result.target,
      rewrittenFrom: result.rewrittenFrom ?? null,
      attempts: result.attempts.map((a) => ({
        tier: a.tier,
        status: a.status,
        ok: a.ok,
        reason: a.reason ?? null,
        image: a.image ?? null,
        imageId: a.imageId ?? null,
        sizeBytes: a.sizeBytes ?? null,
        buildMs: a.buildMs ?? null,
        verify: a.verify
          ? {
              ok: a.verify.ok,
              startupMs: a.verify.startupMs ?? null,
              probes: a.verify.probes.map((p) => ({
                probe: describeProbe(p.probe),
                ok: p.ok,
                detail: p.detail,
              })),
            }
          : null,
      })),
      decisions: result.decisions,
      dockerfile: result.dockerfile,
      dockerignore: result.dockerignore,
      extraFiles: result.extraFiles,
      written: result.written,
    });
  } else printOptimize(rt, result, pushed, describeProbe, flags.write === true);
  if (flags.planOnly) return EXIT.ok;
  if (!result.ok) {
    const last = result.attempts[result.attempts.length - 1];
    return last?.status === "build-failed" ? EXIT.build : EXIT.verify;
  }
  return EXIT.ok;
}

/** The human form of an optimize run: the project, each tier, why, and the files (written or shown). */
function printOptimize(
  rt: CliRuntime,
  result: OptimizeResult,
  pushed: { ref: string; digest?: string } | undefined,
  describeProbe: (p: Probe) => string,
  write: boolean,
): void {
  const p = result.project;
  rt.print(
    `${p.kind === "python" ? `Python ${p.pythonVersion}` : `Node ${p.nodeVersion}`} project in ${relative(process.cwd(), p.dir) || "."}: entry ${JSON.stringify(p.entry.argv)} (${p.entry.source})${p.port !== undefined ? `, port ${p.port}` : ""}`,
  );
  for (const a of result.attempts) {
    const what =
      a.status === "verified"
        ? `built and verified, ${mb(a.sizeBytes)} (${a.image})`
        : a.status === "planned"
          ? "planned only (not built, not verified)"
          : `${a.status}: ${a.reason ?? ""}`;
    rt.print(`  ${a.tier.padEnd(10)} ${what}`);
    // What "verified" covered, as `slimstage verify` says it: the probes' answers or the request set.
    if (a.status === "verified" && a.verify) {
      rt.print(`  ${"".padEnd(10)} verified: ${verifiedCoverage(a.verify)}`);
      for (const p of a.verify.probes)
        rt.print(`  ${"".padEnd(10)}   ${describeProbe(p.probe)}: ${p.detail}`);
    }
  }
  // What verification read but did not use (compose keys it ignores), once for all tiers.
  for (const w of new Set(result.attempts.flatMap((a) => a.verify?.warnings ?? []))) rt.info(`note: ${w}`);
  rt.print("");
  rt.print("Why:");
  for (const d of result.decisions) rt.print(`  - ${d.text}`);
  rt.print("");
  if (pushed) rt.print(`pushed ${pushed.ref}${pushed.digest ? ` (${pushed.digest})` : ""}`);
  if (result.written.length > 0) {
    for (const w of result.written)
      rt.print(
        `wrote ${relative(process.cwd(), w.path)}${w.backup ? ` (previous kept as ${relative(process.cwd(), w.backup)})` : ""}`,
      );
  } else {
    rt.print(`--- ${relative(process.cwd(), result.target)} (${result.tier ?? "not verified"}) ---`);
    rt.print(result.dockerfile);
    for (const [f, text] of Object.entries(result.extraFiles)) {
      rt.print(`--- ${f} ---`);
      rt.print(text);
    }
    if (result.ok)
      rt.print(
        "Nothing was written: pass --write to write these files (existing ones are kept as *.slimstage.bak).",
      );
    // --write writes only a verified file: said, not left to be inferred from the exit code.
    else if (write) rt.print("Nothing was written: --write writes only a tier that built and verified.");
  }
  // A failed tier's image is kept (renamed -unverified) unless --no-keep-images: then it has none.
  const unverified = result.attempts.flatMap((a) => (a.status !== "verified" && a.image ? [a.image] : []));
  if (unverified.length > 0)
    rt.info(
      `kept for a look: ${unverified.join(", ")} (failed verification: docker rmi removes them; with --no-keep-images none is kept)`,
    );
}
