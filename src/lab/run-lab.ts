/**
 * The lab loop, for one example: lint every Dockerfile (and the lab's
 * originals), build every variant with BuildKit, analyze each image, verify
 * each with its probe and compose sidecars, compare, and judge the lab's
 * claims. Variants run one after the other (two cores; BuildKit shares its
 * cache between them). A build that fails is a result, not an exception:
 * lab-002's broken Dockerfile is supposed to fail.
 */
import { readFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { BuildStepError, buildImage } from "../engine/build/build.js";
import { EngineError, isSlimstageError, throwIfAborted } from "../errors.js";
import type { Analysis } from "../image/analysis/types.js";
import type { LintFindingSummary, ReportData, VariantData } from "../report/report-data.js";
import { probesFromConfig } from "../verify/probes/config.js";
import type { Probe, VerifyProgressEvent, VerifyResult } from "../verify/types.js";
import { analyzePhase } from "./analyze-phase.js";
import type { LabProgressEvent } from "./events.js";
import { imageFacts } from "./image-facts.js";
import type { Lab, LabProbe, LabVariant } from "./lab-config.js";
import type { LabRun, LintFact, OriginalLint, VariantRun, VerifyFacts } from "./lab-result.js";
import { judgeOptimizedClaims } from "./optimized-claims.js";
import { judgeOutcome, type MeasuredVariant } from "./outcome.js";
import { runPhase } from "./phase.js";
import { minifySource, runMinified } from "./run-minified.js";
import { runOptimized, sizedVariants } from "./run-optimized.js";
import { judgeClaims } from "./verdicts.js";

export const LAB_LABEL = "org.slimstage.lab";

/** How many wasted (and biggest) files an analysis lists; enough for every file of the labs' images. */
const WASTE_FILES = 20_000;

export interface RunLabOptions {
  signal?: AbortSignal;
  onProgress?: (e: LabProgressEvent) => void;
  /** Image tags are `<tagPrefix>/<lab>:<variant>` (default "slimstage-lab"). */
  tagPrefix?: string;
  /** Extra labels on everything built and run (tests add org.slimstage.test). */
  labels?: Record<string, string>;
  /** Time limit of each verification (default 90 s). */
  verifyTimeoutMs?: number;
  /** Build without BuildKit's cache (every step runs, so its output is measured again). */
  noCache?: boolean;
  /** Also run slimstage's optimize on the lab as variants optimized-slim and optimized-distroless (default true). */
  optimize?: boolean;
  /** Also minify the lab's smallest working variant as the variant "minified" (default true; labs with a network probe). */
  minify?: boolean;
  /** Environment of the app in every verification, trace and optimize test stage (`--env`, `--env-file`). */
  env?: Record<string, string>;
}

/** The lab.yaml probe as verify's probes (the verify area's one translation, shared with optimize). */
export function toVerifyProbes(
  p: LabProbe,
  imageCmd: readonly string[] | null,
): { probes: Probe[]; command?: string[] } {
  return probesFromConfig(p, imageCmd);
}

function lintFacts(
  findings: ReadonlyArray<{
    ruleId: string;
    severity: string;
    category: string;
    message: string;
    range: { start: { line: number } };
  }>,
): LintFact[] {
  return findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    category: f.category,
    message: f.message,
    line: f.range.start.line,
  }));
}

async function lintFile(file: string, shown: string, target?: string): Promise<LintFact[]> {
  const { lintText } = await import("../lint/engine.js");
  const text = await readFile(file, "utf8");
  return lintFacts(lintText(text, { file: shown, ...(target ? { target } : {}) }).findings);
}

interface StepLike {
  internal: boolean;
  instruction?: string;
  name: string;
  stage?: string;
  cached: boolean;
  durationMs: number;
  error?: string;
  output: string[];
}

function stepFacts(steps: readonly StepLike[]) {
  return steps
    .filter((s) => !s.internal)
    .map((s) => ({
      instruction: s.instruction ?? s.name,
      ...(s.stage ? { stage: s.stage } : {}),
      cached: s.cached,
      durationMs: s.durationMs,
      ...(s.error ? { error: s.error } : {}),
      output: s.output.slice(-20),
    }));
}

function verifyFacts(r: VerifyResult): VerifyFacts {
  return {
    ok: r.ok,
    startupMs: r.startupMs ?? null,
    peakMemoryBytes: r.peakMemoryBytes ?? null,
    probes: r.probes.map((p) => ({ name: p.probe.kind, ok: p.ok, detail: p.detail })),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(!r.ok && r.logs ? { logsTail: r.logs.trimEnd().split("\n").slice(-40).join("\n") } : {}),
  };
}

function lintSummaries(lint: readonly LintFact[] | undefined, file: string): LintFindingSummary[] {
  return (lint ?? []).map((f) => ({
    ruleId: f.ruleId,
    severity: (["error", "warning", "info", "style"].includes(f.severity)
      ? f.severity
      : "info") as LintFindingSummary["severity"],
    message: f.message,
    file,
    ...(f.line !== undefined ? { line: f.line } : {}),
  }));
}

/** Runs one lab end to end. Engine trouble and Ctrl-C throw; everything else is in the result. */
export async function runLab(lab: Lab, opts: RunLabOptions = {}): Promise<LabRun> {
  const started = Date.now();
  const cfg = lab.config;
  const emit = opts.onProgress ?? (() => {});
  const signal = opts.signal;
  const prefix = opts.tagPrefix ?? "slimstage-lab";
  const labels = { ...opts.labels, [LAB_LABEL]: cfg.name };
  const rel = (p: string) => relative(lab.dir, p) || p;
  emit({ type: "lab-start", lab: cfg.name, title: cfg.title, variants: cfg.variants.length });

  const { openImage, analyzeImage } = await import("../image/public.js");
  const { verifyImage } = await import("../verify/public.js");
  const { variantData } = await import("../report/summarize.js");

  const original: OriginalLint[] = [];
  for (const f of cfg.original ?? []) {
    original.push({ file: f, findings: await lintFile(resolve(lab.dir, f), f) });
  }

  // Python builds pip-install from the offline index (reached as slimstage-index): start it once per lab.
  const { needsPackageIndex, withPackageIndex } = await import("../bases/package-index.js");
  const dockerfiles = cfg.variants.flatMap((v) => (v.dockerfile ? [resolve(lab.dir, v.dockerfile)] : []));
  const indexStart = (await needsPackageIndex(dockerfiles))
    ? {
        ...(signal ? { signal } : {}),
        onStartError: (e: unknown): undefined => {
          if (isSlimstageError(e)) throw e;
          throw new EngineError(`could not start the offline Python package index: ${(e as Error).message}`, {
            cause: e,
            hint: "run `slimstage bases build` first (it fills the wheelhouse the index serves)",
          });
        },
      }
    : undefined;

  const runs: VariantRun[] = [];
  const reportVariants: VariantData[] = [];
  await withPackageIndex(indexStart, async (index) => {
    if (index) emit({ type: "note", lab: cfg.name, message: `offline package index at ${index.address}` });
    for (const v of cfg.variants) {
      throwIfAborted(signal);
      const { run, report } = await runVariant(lab, v, {
        emit,
        signal,
        prefix,
        labels,
        buildReach: index?.reach ?? { network: "default", extraHosts: {} },
        verifyTimeoutMs: opts.verifyTimeoutMs ?? 90_000,
        ...(opts.env ? { env: opts.env } : {}),
        noCache: opts.noCache === true,
        openImage,
        analyzeImage,
        verifyImage,
        variantData,
        rel,
      });
      runs.push(run);
      if (report) reportVariants.push(report);
    }
  });

  const claims = judgeClaims(cfg.claims, runs);
  if (opts.optimize !== false) {
    throwIfAborted(signal);
    const { lintText } = await import("../lint/engine.js");
    const labRuns = [...runs];
    // The lab's original (its baseline variant, when it works) defines what the tiers must answer.
    const baselineRun = runs.find(
      (r) => r.name === (cfg.baseline ?? cfg.variants[0]?.name) && r.outcome.status === "works" && r.tag,
    );
    const opt = await runOptimized(lab, {
      emit,
      signal,
      prefix,
      labels,
      verifyTimeoutMs: opts.verifyTimeoutMs ?? 90_000,
      ...(opts.env ? { env: opts.env } : {}),
      ...(cfg.probe?.http ? { probes: toVerifyProbes(cfg.probe, null).probes } : {}),
      ...(cfg.probe?.http && baselineRun?.tag ? { against: baselineRun.tag } : {}),
      openImage,
      analyzeImage,
      variantData,
      verifyFacts,
      lintFacts: (text, file) => lintFacts(lintText(text, { file }).findings),
      lintSummaries,
      wasteFiles: WASTE_FILES,
    });
    runs.push(...opt.runs);
    reportVariants.push(...opt.reports);
    claims.push(...judgeOptimizedClaims(cfg.optimize, opt.tiers, await sizedVariants(lab, labRuns)));
  }
  const labProbe = cfg.probe;
  const minifyFrom = opts.minify !== false && labProbe ? minifySource(lab, runs) : undefined;
  if (minifyFrom && labProbe) {
    throwIfAborted(signal);
    const m = await runMinified(lab, minifyFrom, {
      emit,
      signal,
      prefix,
      labels,
      verifyTimeoutMs: opts.verifyTimeoutMs ?? 90_000,
      ...(opts.env ? { env: opts.env } : {}),
      // A command probe runs the image's own command (a one-shot app): read it from the source image.
      probeSpec: (imageCmd) => toVerifyProbes(labProbe, imageCmd),
      openImage,
      analyzeImage,
      variantData,
      verifyFacts,
      wasteFiles: WASTE_FILES,
    });
    runs.push(m.run);
    if (m.report) reportVariants.push(m.report);
  }
  const ok =
    runs.every((r) => r.outcome.asExpected) && claims.every((c) => c.verdict !== null && c.asExpected);
  const baselineName = cfg.baseline ?? cfg.variants[0]?.name;
  if (baselineName === undefined) throw new Error("internal: a lab with no variants passed validation");
  const reportBaseline = reportVariants.find((r) => r.name === baselineName)?.name ?? reportVariants[0]?.name;
  const report: ReportData | null =
    reportBaseline === undefined
      ? null
      : {
          schema: "slimstage.run/v1",
          title: `${cfg.name}: ${cfg.title}`,
          createdAt: new Date(started).toISOString(),
          baseline: reportBaseline,
          variants: reportVariants,
          claims: claims.map((c) => ({
            id: c.id,
            text: c.text,
            verdict: c.verdict,
            measured: c.measured,
            why: c.why,
            ...(c.expected !== undefined ? { expected: c.expected } : {}),
            asExpected: c.asExpected,
          })),
        };
  const { compareImages } = await import("../report/compare.js");
  const comparison = report ? compareImages(report.variants, { baseline: report.baseline }) : null;
  const durationMs = Date.now() - started;
  emit({ type: "lab-done", lab: cfg.name, ok, durationMs });
  return {
    name: cfg.name,
    title: cfg.title,
    ...(cfg.seed ? { seed: cfg.seed } : {}),
    dir: lab.dir,
    baseline: baselineName,
    startedAt: new Date(started).toISOString(),
    durationMs,
    variants: runs,
    claims,
    original,
    history: cfg.history === true,
    ok,
    report,
    comparison,
  };
}

interface VariantContext {
  emit: (e: LabProgressEvent) => void;
  signal: AbortSignal | undefined;
  prefix: string;
  labels: Record<string, string>;
  /** How builds reach the package index (network and `--add-host` names). */
  buildReach: { network: "host" | "default"; extraHosts: Record<string, string> };
  verifyTimeoutMs: number;
  env?: Record<string, string>;
  noCache: boolean;
  openImage: typeof import("../image/public.js").openImage;
  analyzeImage: typeof import("../image/public.js").analyzeImage;
  verifyImage: typeof import("../verify/public.js").verifyImage;
  variantData: typeof import("../report/summarize.js").variantData;
  rel: (p: string) => string;
}

async function runVariant(
  lab: Lab,
  v: LabVariant,
  ctx: VariantContext,
): Promise<{ run: VariantRun; report?: VariantData }> {
  const cfg = lab.config;
  const { emit, signal } = ctx;
  const at = { lab: cfg.name, variant: v.name };
  const measured: MeasuredVariant = {};
  let ref: string;
  let tag: string | undefined;

  if (v.dockerfile) {
    const dockerfileRel = v.dockerfile;
    const dockerfile = resolve(lab.dir, dockerfileRel);
    const lint = await runPhase(
      {
        emit,
        at,
        phase: "lint",
        done: (o) => ({ ok: o.ok, detail: o.ok ? `${o.value.length} finding(s)` : o.error.message }),
        failsWith: () => false,
      },
      () => lintFile(dockerfile, dockerfileRel, v.target),
    );
    if (lint.outcome.ok) measured.lint = lint.outcome.value;

    const builtTag = `${ctx.prefix}/${cfg.name}:${v.name}`;
    tag = builtTag;
    ref = tag;
    const context = resolve(lab.dir, v.context ?? cfg.context ?? ".");
    const built = await runPhase(
      {
        emit,
        at,
        phase: "build",
        detail: ctx.rel(dockerfile),
        // A failing step is the variant's result; anything else (the engine, Ctrl-C) ends the run.
        failsWith: (e) => e instanceof BuildStepError,
        done: (o) => {
          if (!o.ok) return { ok: false, detail: o.error.message };
          const steps = o.value.steps.filter((s) => !s.internal);
          return {
            ok: true,
            detail: `${steps.length} steps, ${steps.filter((s) => s.cached).length} cached`,
          };
        },
      },
      () =>
        buildImage({
          context,
          dockerfile,
          ...(v.target ? { target: v.target } : {}),
          tags: [builtTag],
          ...(v.buildArgs ? { buildArgs: v.buildArgs } : {}),
          labels: { ...ctx.labels, "org.slimstage.variant": v.name },
          ...ctx.buildReach,
          ...(ctx.noCache ? { noCache: true } : {}),
          ...(signal ? { signal } : {}),
          onProgress: (e) => {
            if (e.type === "step-start" || e.type === "step-cached") {
              emit({ type: "build-step", ...at, step: e.step.name, cached: e.type === "step-cached" });
            }
          },
        }),
    );
    if (built.outcome.ok) {
      const r = built.outcome.value;
      measured.build = { ok: true, durationMs: r.durationMs, steps: stepFacts(r.steps) };
    } else {
      const e = built.outcome.error as BuildStepError;
      const location = e.location
        ? `${ctx.rel(resolve(lab.dir, dockerfileRel))}:${e.location.line}`
        : undefined;
      measured.build = {
        ok: false,
        durationMs: built.durationMs,
        steps: e.step ? stepFacts([{ ...e.step, error: e.step.error ?? e.message }]) : [],
        error: e.message.replace(/^build failed(?: at step [^:]*)?: /, ""),
        ...(location ? { errorAt: location } : {}),
        outputTail: e.outputTail,
      };
    }
  } else {
    if (v.image === undefined)
      throw new Error(`internal: variant "${v.name}" has neither dockerfile nor image`);
    ref = v.image;
  }

  let analysis: Analysis | undefined;
  let verify: VerifyResult | undefined;
  if (!measured.build || measured.build.ok) {
    // Every wasted file, not the top 20: the verdicts group them by package.
    const done = await analyzePhase(ctx, at, ref, WASTE_FILES);
    if ("error" in done) measured.error = done.error;
    else analysis = done.analysis;

    const probe = v.probe === undefined ? cfg.probe : v.probe;
    if (probe && analysis) {
      const spec = toVerifyProbes(probe, [
        ...(analysis.config.entrypoint ?? []),
        ...(analysis.config.cmd ?? []),
      ]);
      const verified = await runPhase(
        {
          emit,
          at,
          phase: "verify",
          detail: v.compose ? `with ${v.compose.file}` : ref,
          failsWith: () => false,
          done: (o) =>
            o.ok
              ? {
                  ok: o.value.ok,
                  detail: o.value.ok
                    ? o.value.probes.map((p) => p.detail).join("; ")
                    : (o.value.error ?? "failed"),
                }
              : { ok: false, detail: o.error.message },
        },
        () =>
          ctx.verifyImage({
            image: ref,
            probes: spec.probes,
            ...(spec.command ? { command: spec.command } : {}),
            ...(v.compose ? { compose: { ...v.compose, file: resolve(lab.dir, v.compose.file) } } : {}),
            timeoutMs: ctx.verifyTimeoutMs,
            ...(ctx.env ? { env: ctx.env } : {}),
            labels: { ...ctx.labels, "org.slimstage.variant": v.name },
            ...(signal ? { signal } : {}),
            onProgress: (e: VerifyProgressEvent) => {
              if (e.type === "phase") emit({ type: "verify-step", ...at, message: e.message });
            },
          }),
      );
      if (verified.outcome.ok) {
        verify = verified.outcome.value;
        measured.verify = verifyFacts(verify);
      }
    }
  }

  const outcome = judgeOutcome(v, measured);
  const run: VariantRun = {
    name: v.name,
    ...(v.label ? { label: v.label } : {}),
    ...(v.dockerfile ? { dockerfile: v.dockerfile } : {}),
    ...(v.target ? { target: v.target } : {}),
    ...(v.image ? { image: v.image } : {}),
    ...(tag && measured.build?.ok ? { tag } : {}),
    expect: v.expect,
    ...(measured.lint ? { lint: measured.lint } : {}),
    ...(measured.build ? { build: measured.build } : {}),
    ...(analysis ? { facts: imageFacts(analysis) } : {}),
    ...(measured.verify ? { verify: measured.verify } : {}),
    outcome,
  };
  const report: VariantData | undefined = analysis
    ? ctx.variantData({
        name: v.name,
        ref,
        analysis,
        ...(verify ? { verify } : {}),
        ...(measured.lint ? { lint: lintSummaries(measured.lint, v.dockerfile ?? ref) } : {}),
      })
    : undefined;
  return report ? { run, report } : { run };
}
