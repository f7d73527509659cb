import { basename, resolve } from "node:path";
import { type Command, Option } from "commander";
import { InputError } from "../../errors.js";
import { action, type CliRuntime, collect, examples } from "../runtime.js";

interface BuildFlags {
  file?: string;
  target?: string;
  tag?: string[];
  buildArg?: string[];
  variant?: string[];
  network?: "host" | "default";
  cache?: boolean;
  packageIndex?: "auto" | "on" | "off";
  label?: string[];
}

export function parseLabels(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of list) {
    const eq = a.indexOf("=");
    if (eq <= 0) throw new InputError(`--label "${a}" must look like KEY=VALUE`);
    out[a.slice(0, eq)] = a.slice(eq + 1);
  }
  return out;
}

function parseBuildArgs(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of list) {
    const eq = a.indexOf("=");
    if (eq <= 0) {
      // docker's `--build-arg NAME` takes the value from the environment.
      const v = process.env[a];
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(a) || v === undefined) {
        throw new InputError(`--build-arg "${a}" must look like NAME=VALUE`);
      }
      out[a] = v;
    } else out[a.slice(0, eq)] = a.slice(eq + 1);
  }
  return out;
}

/** Lower-case, docker-reference-safe repository name from a directory. */
function repoFor(dir: string): string {
  const base = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+/, "");
  return `slimstage-build/${base || "app"}`;
}

/** How the build wants the offline package index (`--package-index`): on refuses to go without, auto notes it. */
async function indexStartFor(
  rt: CliRuntime,
  mode: BuildFlags["packageIndex"],
  dockerfiles: string[],
  pidx: typeof import("../../bases/package-index.js"),
): Promise<import("../../bases/package-index.js").IndexStart | undefined> {
  const want = mode === "on" || (mode === "auto" && (await pidx.needsPackageIndex(dockerfiles)));
  if (!want) return undefined;
  return {
    signal: rt.signal,
    onStartError: (e) => {
      if (mode === "on")
        throw new InputError(`cannot start the offline package index: ${(e as Error).message}`);
      rt.info(`note: no offline package index (${(e as Error).message}); pip in RUN steps may fail`);
      return undefined;
    },
  };
}

export function define(program: Command): void {
  program
    .command("build")
    .description("Build one or more Dockerfile variants with BuildKit, step by step")
    .argument("[dir]", "build context directory", ".")
    .option("-f, --file <file>", "Dockerfile (default: DIR/Dockerfile)")
    .option("--target <stage>", "build up to this stage")
    .option(
      "-t, --tag <name>",
      "tag the image (repeatable; with variants, the repository for NAME tags)",
      collect,
    )
    .option("--build-arg <k=v>", "build argument (repeatable)", collect)
    .option(
      "--variant <name=file[:target]>",
      "build this Dockerfile as a named variant (repeatable)",
      collect,
    )
    .addOption(new Option("--network <mode>", "network for RUN steps").choices(["host", "default"]))
    .option("--label <k=v>", "image label (repeatable; org.slimstage.managed=true is always set)", collect)
    .option("--no-cache", "do not use BuildKit's cache")
    .addOption(
      new Option("--package-index <mode>", "serve the offline Python package index during the build")
        .choices(["auto", "on", "off"])
        .default("auto"),
    )
    .addHelpText(
      "after",
      examples([
        ["slimstage build examples/lab-000 -t hello:single", "build one image, showing each step live"],
        [
          "slimstage build . --variant single=Dockerfile --variant multi=Dockerfile.multi:runtime",
          "build two variants (tagged slimstage-build/<dir>:single and :multi)",
        ],
        ["slimstage build . --json", "per-step durations, cache hits and the image id as JSON"],
        ["slimstage build . --verbose", "print BuildKit's full log as well"],
      ]),
    )
    .action(
      action(async (rt, dir: string, flags: BuildFlags) => {
        // Checked before anything starts: a bad tag used to fail only after the whole build.
        const { checkImageReference } = await import("../../image/reference-grammar.js");
        for (const t of flags.tag ?? []) checkImageReference(t, "-t", { allowId: false });
        const [
          { buildImage, BuildStepError },
          { buildVariants, parseVariantSpec },
          pidx,
          { ProgressDisplay, formatMs },
        ] = await Promise.all([
          import("../../engine/build/build.js"),
          import("../../engine/build/variants.js"),
          import("../../bases/package-index.js"),
          import("../progress.js"),
        ]);
        type Ev = import("../../engine/build/build.js").BuildProgressEvent;
        const context = dir;
        const buildArgs = parseBuildArgs(flags.buildArg ?? []);
        const labels = parseLabels(flags.label ?? []);
        const variants = (flags.variant ?? []).map((v) => parseVariantSpec(v, context));
        if (variants.length > 0 && (flags.file || flags.target)) {
          throw new InputError("give either -f/--target or --variant, not both", {
            hint: "a variant carries its own file and target: --variant NAME=FILE:TARGET",
          });
        }
        const dockerfiles =
          variants.length > 0 ? variants.map((v) => v.dockerfile) : [flags.file ?? `${context}/Dockerfile`];

        const start = await indexStartFor(rt, flags.packageIndex, dockerfiles, pidx);
        return pidx.withPackageIndex(start, async (index) => {
          if (index) rt.info(`offline package index at ${index.address}`);
          // The index's network unless the user chose one; its name resolves on either.
          const network = flags.network ?? index?.reach.network;
          const extraHosts = index?.reach.extraHosts;
          // What the single build and every variant's build share.
          const shared = {
            buildArgs,
            labels,
            ...(network ? { network } : {}),
            ...(extraHosts ? { extraHosts } : {}),
            ...(flags.cache === false ? { noCache: true } : {}),
            signal: rt.signal,
          };

          const display = await ProgressDisplay.create(rt);
          const onEvent = (prefix: string, e: Ev) => {
            const s = e.step;
            if (s.internal && e.type !== "step-error") return;
            const key = `${prefix}#${s.id}`;
            const text = `${prefix ? `${prefix}: ` : ""}${s.name}`;
            if (e.type === "step-start") display.set(key, text, "running");
            else if (e.type === "step-cached") display.set(key, text, "cached", "cached");
            else if (e.type === "step-done")
              display.set(
                key,
                text,
                s.cached ? "cached" : "done",
                s.cached ? "cached" : formatMs(s.durationMs),
              );
            else if (e.type === "step-error") display.set(key, text, "failed", "failed");
            else if (e.type === "step-log" && rt.verbose && !rt.interactive) rt.info(`  ${e.line}`);
          };

          try {
            const results =
              variants.length > 0
                ? await buildVariants(
                    variants.map((v) => {
                      const repo = flags.tag?.[0]?.replace(/:[^/:]*$/, "") ?? repoFor(context);
                      return { ...v, tags: [`${repo}:${v.name}`] };
                    }),
                    { ...shared, onProgress: (name, e) => onEvent(name, e) },
                  )
                : [
                    {
                      variant: undefined,
                      ...(await buildImage({
                        context,
                        ...(flags.file ? { dockerfile: flags.file } : {}),
                        ...(flags.target ? { target: flags.target } : {}),
                        tags: flags.tag ?? [],
                        ...shared,
                        onProgress: (e) => onEvent("", e),
                      })),
                    },
                  ];
            display.finish();
            if (rt.verbose && !rt.json) for (const r of results) rt.info(r.log);
            if (rt.json) {
              rt.printJson({
                images: results.map((r) => ({
                  ...(r.variant ? { variant: r.variant } : {}),
                  imageId: r.imageId,
                  tags: r.tags,
                  durationMs: r.durationMs,
                  steps: r.steps
                    .filter((s) => !s.internal)
                    .map((s) => ({
                      name: s.name,
                      durationMs: s.durationMs,
                      cached: s.cached,
                      ...(s.error ? { error: s.error } : {}),
                    })),
                })),
              });
            } else {
              for (const r of results) {
                const steps = r.steps.filter((s) => !s.internal);
                const cached = steps.filter((s) => s.cached).length;
                const label = r.variant ? `${r.variant}: ` : "";
                rt.print(
                  `${label}${r.imageId.slice(0, 19)}  ${steps.length} steps, ${cached} cached, ${formatMs(r.durationMs)}${r.tags.length ? `  ${r.tags.join(", ")}` : ""}`,
                );
              }
            }
            return 0;
          } catch (e) {
            display.finish();
            if (e instanceof BuildStepError && !rt.json) {
              if (rt.verbose) rt.info(e.log);
              else if (e.outputTail.length > 0) {
                rt.info(`--- last ${e.outputTail.length} lines of ${e.step?.name ?? "the build"} ---`);
                rt.info(e.outputTail.join("\n"));
                rt.info("--- (full log: --verbose) ---");
              }
            }
            throw e;
          }
        });
      }),
    );
}
