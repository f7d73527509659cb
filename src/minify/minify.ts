import { chmod, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { extract } from "tar-stream";
import type { BuildProgressEvent } from "../engine/build/progress.js";
import type { EngineConnection } from "../engine/connect.js";
import {
  copyFromContainer,
  copyToContainer,
  readFileHead,
  readFilesUnder,
} from "../engine/container-files.js";
import { execInContainer, stopContainer } from "../engine/containers.js";
import { InputError, VerifyError } from "../errors.js";
import { attributeOwners, readMeta } from "../image/analysis/owners.js";
import { mergeLayers, pathOf } from "../image/filetree.js";
import { formatBytes } from "../image/format/units.js";
import type { ImageConfig } from "../image/model.js";
import { verifyFailureReason } from "../verify/failure-reason.js";
import { describeProbe } from "../verify/probe-spec.js";
import type { VerifyOptions, VerifyProgressEvent, VerifyResult } from "../verify/types.js";
import {
  type AuditFile,
  auditClosure,
  auditMarkdown,
  auditSummary,
  type RemovalAudit,
  withCompiled,
} from "./audit.js";
import {
  BYTECODE_FILES,
  BYTECODE_SCRIPT,
  BYTECODE_TAR,
  type BytecodePlan,
  bytecodeListing,
  compiledFiles,
  planBytecode,
  withoutDropped,
} from "./bytecode.js";
import { type Closure, computeClosure, resolveInto } from "./closure.js";
import { closureList, emitDockerfile } from "./emit.js";
import { loadedInterpreter } from "./interpreter.js";
import { leaveOutDir, prepareOutDir } from "./out-dir.js";
import { type DynamicUse, isScannable, partialFolders, scanSource } from "./thin-trace.js";
import { parseTrace, redactTrace, type TraceSummary } from "./trace-parse.js";
import {
  HEALTH_TRACE_FILE,
  TRACE_FILE,
  TRACE_LOG_DIR,
  TRACER_DIR,
  tracedArgv,
  tracerArchive,
} from "./tracer.js";
import { safeUnits } from "./units.js";

/**
 * `safe` keeps every unit (Python distribution, standard-library package,
 * npm package with its dependencies, the app's tree, asset folders, CA
 * certificates and time zones) a traced file belongs to, whole; `tight` keeps
 * only the files the run used.
 */
export type MinifyLevel = "safe" | "tight";
export const MINIFY_LEVELS: readonly MinifyLevel[] = ["safe", "tight"];

export interface MinifyOptions
  extends Pick<
    VerifyOptions,
    "probes" | "env" | "compose" | "wait" | "command" | "entrypoint" | "labels" | "livenessMs"
  > {
  /** The image to minify (in the engine's store). */
  image: string;
  /** Where the Dockerfile, the list of kept paths and the raw trace are written (created; must be empty unless `force`). */
  outDir: string;
  force?: boolean;
  /** Tag for the minified image (default: the source's repository with `-minified`). */
  tag?: string;
  /** Absolute paths kept with everything under them, traced or not (data the probes do not reach). */
  include?: string[];
  /** How much beyond the traced files is kept (default safe). */
  level?: MinifyLevel;
  /** Ship library Python sources as they are, not as sourceless bytecode (bytecode.ts). */
  keepSources?: boolean;
  /**
   * Compile the standard library's pure-Python modules into the interpreter's
   * zip archive, deflated (default true): about 3 MB smaller for a Flask app,
   * at the cost of inflating what it imports at each start (bytecode.ts).
   */
  stdlibArchive?: boolean;
  /** Write the traced programs' arguments into trace.log as they were (default: redacted, they may hold secrets). */
  keepTraceArgs?: boolean;
  /** Image with GNU tar for the picker stage (default debian:bookworm-slim). */
  picker?: string;
  /** Limit for the traced run and for the verification, each (default 120 s; tracing slows start-up). */
  timeoutMs?: number;
  /** Verify the minified image against the source (differential, default) or by its probes alone (false). */
  differential?: boolean;
  /** Bound on the request set discovered on the source (default 60). */
  maxRequests?: number;
  signal?: AbortSignal;
  onProgress?: (e: MinifyProgressEvent) => void;
}

export type MinifyPhase = "read" | "tracer" | "trace" | "closure" | "build" | "verify";

export type MinifyProgressEvent =
  | { type: "phase"; phase: MinifyPhase; message: string }
  | { type: "verify"; phase: "trace" | "verify"; event: VerifyProgressEvent }
  | { type: "build"; what: "tracer" | "minified"; event: BuildProgressEvent };

export interface MinifyResult {
  source: { image: string; id: string; bytes: number; files: number };
  trace: {
    /** The probes' results under the tracer (they must pass for the trace to count). */
    verify: VerifyResult;
    syscalls: number;
    failed: number;
    pathsUsed: number;
    /** Programs the run executed, and the interpreters the kernel loaded for them. */
    executed: string[];
    interpreters: string[];
  };
  level: MinifyLevel;
  closure: Omit<Closure, "paths" | "why"> & { paths: number };
  /** What was removed, by owner, and what was kept, and why (the path lists are in files.audit). */
  audit: RemovalAudit;
  files: { dockerfile: string; list: string; trace: string; audit: string; auditMarkdown: string };
  /** The image: tagged `tag` once verified; a failed one keeps `<tag>-unverified`, never the tag of an earlier verified run. */
  minified: { tag: string; id: string; bytes: number };
  /** The minified image run with the same probes, without the tracer. */
  verify: VerifyResult;
  /** True only when the minified image passed every probe. */
  ok: boolean;
  /** Bytes saved (source minus minified), reported only when `ok`. */
  savedBytes?: number;
  warnings: string[];
}

/** Paths kept when the image has them, used or not: the kernel's loaders and the user database docker reads for USER. */
const ALWAYS = [
  "/etc/passwd",
  "/etc/group",
  "/lib64/ld-linux-x86-64.so.2",
  "/lib/ld-linux-aarch64.so.1",
  "/lib/ld-musl-x86_64.so.1",
  "/lib/ld-musl-aarch64.so.1",
  "/tmp",
];

/**
 * Traces the image while its probes run, keeps the files the run used, emits
 * a reproducible multi-stage Dockerfile for that closure, builds it with
 * BuildKit and verifies the result with the same probes. A minified image that
 * fails its probes is reported (ok=false), never as a saving.
 */
export async function minifyImage(opts: MinifyOptions): Promise<MinifyResult> {
  const outDir = resolve(opts.outDir);
  for (const p of opts.include ?? []) {
    if (!p.startsWith("/")) throw new InputError(`--include "${p}" must be an absolute path in the image`);
  }
  const created = await prepareOutDir(outDir, opts.force ?? false);
  try {
    return await minifyInto(opts, outDir);
  } catch (e) {
    await leaveOutDir(outDir, created, e);
    throw e;
  }
}

async function minifyInto(opts: MinifyOptions, outDir: string): Promise<MinifyResult> {
  const progress = opts.onProgress ?? (() => {});
  const timeoutMs = opts.timeoutMs ?? 120_000;

  const [{ connectEngine }, { openImage }, { inspectEngineImage }] = await Promise.all([
    import("../engine/connect.js"),
    import("../image/open.js"),
    import("../engine/images.js"),
  ]);
  const engine = await connectEngine();

  progress({ type: "phase", phase: "read", message: `reading ${opts.image}` });
  const sourceInfo = await inspectEngineImage(opts.image, engine);
  const image = await openImage(`docker://${opts.image}`, opts.signal ? { signal: opts.signal } : {});
  const tree = mergeLayers(image.layers);
  let sourceFiles = 0;
  for (const l of image.layers) sourceFiles += l.entries.length;
  const config = image.config;

  const warnings = [...image.warnings];
  const { traced, trace, collected } = await traceImage({
    opts,
    timeoutMs,
    progress,
    engine,
    config,
    tree,
    warnings,
  });

  const level = opts.level ?? "safe";
  progress({
    type: "phase",
    phase: "closure",
    message: `working out what the run used (${level === "safe" ? "whole units" : "the files alone"})`,
  });
  const metaPaths = new Set<string>();
  for (const l of image.layers) for (const p of l.metaFiles.keys()) if (tree.get(p)) metaPaths.add(p);
  const closureInput = {
    tree,
    used: trace.accessed,
    always: [...ALWAYS, ...(config.workdir ? [config.workdir] : []), ...collected.interpreters],
    whole: opts.include ?? [],
  };
  // The safe closure names the units; at tight it is worked out too, to name the units kept in part.
  const safe = computeClosure({
    ...closureInput,
    units: safeUnits({
      tree,
      meta: (p) => readMeta(image, tree, p),
      metaPaths: [...metaPaths],
      workdir: config.workdir,
    }),
  });
  const full = level === "safe" ? safe : computeClosure(closureInput);
  const bytecode = opts.keepSources
    ? undefined
    : // The interpreters too: an app started by a console script (gunicorn, `flask run`) runs CPython from its #! line, never exec'd by name.
      planBytecode(full, tree, [...trace.executed, ...collected.interpreters], {
        env: config.env,
        archive: opts.stdlibArchive !== false,
      });
  const closure = bytecode ? withoutDropped(full, tree, bytecode.dropped) : full;
  const owners = attributeOwners(image, tree);
  let audit: AuditFile = auditClosure(tree, closure.why, owners.ownerOf);
  warnings.push(
    ...thinTraceWarnings({
      level,
      dynamic: collected.dynamic,
      tree,
      // Before the bytecode swap: a compiled source is kept (as bytecode), not left out.
      kept: full.why,
      units: safe.why,
      traced: trace.accessed,
      ownerOf: owners.ownerOf,
    }),
  );
  const list = closureList(closure.paths);
  for (const p of list.skipped) warnings.push(`not kept (a newline in its name): ${JSON.stringify(p)}`);
  if (trace.unreadable > 0) warnings.push(`${trace.unreadable} trace lines could not be read`);
  const { tag, files } = await writeContext({
    opts,
    outDir,
    sourceInfo,
    config,
    level,
    closure,
    bytecode,
    list,
    traced,
    collected,
    warnings,
  });

  // Built under a tag of its own: the result's tag goes to it only once it is verified, so a
  // failed run never takes the tag of an earlier verified one.
  const candidate = `${tag}-unverified`;
  progress({ type: "phase", phase: "build", message: `building ${candidate}` });
  const { buildImage } = await import("../engine/build/build.js");
  const built = await buildImage({
    context: outDir,
    dockerfile: files.dockerfile,
    tags: [candidate],
    labels: { ...opts.labels },
    engine,
    ...(opts.signal ? { signal: opts.signal } : {}),
    onProgress: (event) => progress({ type: "build", what: "minified", event }),
  });
  const minifiedInfo = await inspectEngineImage(built.imageId, engine);
  if (bytecode)
    audit = await withBytecodeReadBack({
      opts,
      imageId: built.imageId,
      candidate,
      bytecode,
      audit,
      warnings,
    });
  await writeFile(files.audit, `${JSON.stringify(audit, null, 1)}\n`);
  await writeFile(
    files.auditMarkdown,
    auditMarkdown(audit, { source: sourceInfo.size, minified: minifiedInfo.size }),
  );

  progress({
    type: "phase",
    phase: "verify",
    message:
      opts.differential === false ? `verifying ${candidate}` : `verifying ${candidate} against ${opts.image}`,
  });
  const verify = await verifyCandidate(opts, candidate, timeoutMs, progress);
  let minifiedTag = candidate;
  if (verify.ok) {
    const { tagLocalImage, untagLocalImage } = await import("../engine/local-images.js");
    await tagLocalImage(engine, built.imageId, tag);
    await untagLocalImage(engine, candidate);
    minifiedTag = tag;
  }
  const untraced = untracedWarning(verify);
  if (untraced) warnings.push(untraced);
  return {
    source: { image: opts.image, id: sourceInfo.id, bytes: sourceInfo.size, files: sourceFiles },
    trace: {
      verify: traced,
      syscalls: trace.syscalls,
      failed: trace.failed,
      pathsUsed: trace.accessed.size,
      executed: [...trace.executed].sort(),
      interpreters: collected.interpreters,
    },
    level,
    closure: {
      files: closure.files,
      bytes: closure.bytes,
      notInImage: closure.notInImage,
      paths: closure.paths.length,
    },
    audit: auditSummary(audit),
    files,
    minified: { tag: minifiedTag, id: built.imageId, bytes: minifiedInfo.size },
    // Verified as the candidate; once it passed, the same image carries the result's tag.
    verify: verify.ok ? { ...verify, image: minifiedTag } : verify,
    ok: verify.ok,
    ...(verify.ok ? { savedBytes: sourceInfo.size - minifiedInfo.size } : {}),
    warnings,
  };
}

/** What the traced run's instrument collected from the container. */
interface Collected {
  trace?: TraceSummary;
  raw?: string;
  interpreters: string[];
  dynamic: DynamicUse[];
  error?: string;
}

/**
 * The traced run: a normal verify run with the app under strace (and the
 * HEALTHCHECK and command probes traced too); the probes must pass and the
 * trace must hold system calls.
 */
async function traceImage(x: {
  opts: MinifyOptions;
  timeoutMs: number;
  progress: (e: MinifyProgressEvent) => void;
  engine: EngineConnection;
  config: ImageConfig;
  tree: ReturnType<typeof mergeLayers>;
  warnings: string[];
}): Promise<{ traced: VerifyResult; trace: TraceSummary; collected: Collected & { raw: string } }> {
  const { opts, timeoutMs, progress, engine, config, tree, warnings } = x;
  const { verifyInstrumented } = await import("../verify/verify.js");
  progress({ type: "phase", phase: "tracer", message: "preparing the tracer (strace)" });
  const tracer = await tracerArchive({
    engine,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.labels ? { labels: opts.labels } : {}),
    ...(opts.livenessMs !== undefined ? { livenessMs: opts.livenessMs } : {}),
    onProgress: (event) => progress({ type: "build", what: "tracer", event }),
  });
  progress({ type: "phase", phase: "trace", message: `running ${opts.image} under the tracer` });
  let execs = 0;
  const collected: Collected = { interpreters: [], dynamic: [] };
  const traced = await verifyInstrumented(
    {
      ...verifyPart(opts),
      image: opts.image,
      timeoutMs,
      onProgress: (event) => progress({ type: "verify", phase: "trace", event }),
    },
    {
      init: true,
      capAdd: ["SYS_PTRACE"],
      entrypoint: (override, entrypoint) => {
        // An entrypoint override replaces the image's ENTRYPOINT and CMD, as `docker run --entrypoint`.
        const argv = entrypoint
          ? [...entrypoint, ...(override ?? [])]
          : [...(config.entrypoint ?? []), ...(override ?? config.cmd ?? [])];
        if (argv.length === 0) throw new InputError(`${opts.image} has no ENTRYPOINT or CMD to trace`);
        return tracedArgv(argv);
      },
      prepare: (eng, id) => copyToContainer(eng, id, "/", tracer),
      // Command probes run through `docker exec`, outside the traced tree: each runs under the tracer with its own log.
      wrapExec: (argv) => tracedArgv(plainWords(argv), `${TRACE_LOG_DIR}/exec-${++execs}.log`),
      collect: async (eng, id) => {
        try {
          // The HEALTHCHECK runs through `docker exec`, outside the traced process tree: run it once under the tracer.
          const health = healthCommand(config);
          if (health) {
            const r = await execInContainer(eng, id, tracedArgv(health, HEALTH_TRACE_FILE), {
              timeoutMs: 30_000,
            });
            if (r.exitCode !== 0)
              warnings.push(
                `the image's HEALTHCHECK exited with ${r.exitCode} under the tracer: the minified image may not report healthy`,
              );
          }
          await stopContainer(eng, id, 10);
          // Every log: the app's, the health check's, each command probe's. Parsed apart: their process ids may repeat.
          const logs = await traceLogs(await copyFromContainer(eng, id, TRACE_LOG_DIR, 1024 * 1024 * 1024));
          if (!logs.has(TRACE_FILE.slice(TRACE_LOG_DIR.length + 1)))
            throw new VerifyError("the tracer wrote no log (did the container start?)");
          collected.raw = [...logs.values()].join("");
          collected.trace = [...logs.values()]
            .map((text) => parseTrace(text, config.workdir))
            .reduce((a, b) => mergeTraces(a, b));
          const realFile = (p: string) => {
            const node = resolveInto(tree, p, new Set());
            return node?.entry?.type === "file" ? `/${pathOf(node)}` : undefined;
          };
          collected.interpreters = await interpretersOf(eng, id, collected.trace.executed, realFile);
          collected.dynamic = await dynamicUses(eng, id, collected.trace.accessed, realFile);
        } catch (e) {
          collected.error = e instanceof Error ? e.message : String(e);
        }
      },
    },
  );
  if (!traced.ok) {
    throw new VerifyError(`${opts.image} failed its probes while traced: ${verifyFailureReason(traced)}`, {
      hint: "check the probes against the image first: slimstage verify IMAGE --probe ...",
    });
  }
  const trace = collected.trace;
  if (!trace || collected.raw === undefined) {
    throw new VerifyError(`no trace came back from the traced run: ${collected.error ?? "unknown reason"}`);
  }
  if (trace.syscalls === 0) {
    throw new VerifyError("the tracer recorded no system calls", {
      hint: "the engine must allow ptrace with --cap-add SYS_PTRACE (a seccomp or AppArmor profile may forbid it)",
    });
  }

  return { traced, trace, collected: { ...collected, raw: collected.raw } };
}

/** Writes the build context: the Dockerfile, the closure list, the private trace log, the bytecode stage's files. */
async function writeContext(x: {
  opts: MinifyOptions;
  outDir: string;
  sourceInfo: { id: string; size: number };
  config: ImageConfig;
  level: MinifyLevel;
  closure: Pick<Closure, "files" | "bytes">;
  bytecode: BytecodePlan | undefined;
  list: { text: string };
  traced: VerifyResult;
  collected: Collected & { raw: string };
  warnings: string[];
}): Promise<{ tag: string; files: MinifyResult["files"] }> {
  const { opts, outDir, sourceInfo, config, level, closure, bytecode, list, traced, collected, warnings } = x;
  const tag = opts.tag ?? defaultTag(opts.image);
  const files = {
    dockerfile: join(outDir, "Dockerfile"),
    list: join(outDir, "closure.txt"),
    trace: join(outDir, "trace.log"),
    audit: join(outDir, "audit.json"),
    auditMarkdown: join(outDir, "audit.md"),
  };
  const dockerfile = emitDockerfile({
    source: opts.image,
    sourceId: sourceInfo.id,
    // The runs may use another command (a one-shot app kept up with `sleep`); the image keeps its own.
    config,
    picker: opts.picker ?? "debian:bookworm-slim",
    listFile: "closure.txt",
    ...(bytecode
      ? {
          bytecode: {
            python: bytecode.python,
            listFile: BYTECODE_FILES.list,
            scriptFile: BYTECODE_FILES.script,
            tar: BYTECODE_TAR,
            ...(bytecode.archive ? { archive: bytecode.archive } : {}),
          },
        }
      : {}),
    onSkip: (m) => warnings.push(m),
    notes: [
      `Source: ${opts.image}, ${formatBytes(sourceInfo.size)}; kept at --level ${level}: ${closure.files} files, ${formatBytes(closure.bytes)} (closure.txt; why, and what was removed: audit.json).`,
      `Traced while these probes passed: ${traced.probes.map((p) => describeProbe(p.probe)).join("; ")}.`,
      ...(opts.include?.length ? [`Kept whole on request: ${opts.include.join(", ")}.`] : []),
    ],
  });
  await writeFile(files.dockerfile, dockerfile);
  await writeFile(files.list, list.text);
  // The trace names every program's arguments (a token passed in --cmd): private, and redacted unless asked.
  await writeFile(files.trace, opts.keepTraceArgs ? collected.raw : redactTrace(collected.raw), {
    mode: 0o600,
  });
  await chmod(files.trace, 0o600);
  if (bytecode) {
    await writeFile(join(outDir, BYTECODE_FILES.list), bytecodeListing(bytecode));
    await writeFile(join(outDir, BYTECODE_FILES.script), BYTECODE_SCRIPT);
  }
  await writeFile(
    join(outDir, ".dockerignore"),
    `*\n!closure.txt\n${bytecode ? `!${BYTECODE_FILES.list}\n!${BYTECODE_FILES.script}\n` : ""}`,
  );

  return { tag, files };
}

/** The audit with what the bytecode stage wrote, read back from the image as the engine has it. */
async function withBytecodeReadBack(x: {
  opts: MinifyOptions;
  imageId: string;
  candidate: string;
  bytecode: BytecodePlan;
  audit: AuditFile;
  warnings: string[];
}): Promise<AuditFile> {
  const { opts, candidate, bytecode, warnings } = x;
  const { openImage } = await import("../image/open.js");
  const minifiedTree = mergeLayers(
    (await openImage(`docker://${x.imageId}`, opts.signal ? { signal: opts.signal } : {})).layers,
  );
  const compiled = compiledFiles(minifiedTree, bytecode);
  const audit = withCompiled(x.audit, bytecode.dropped, compiled);
  const asSource = compiled.filter((c) => c.asSource);
  if (asSource.length)
    warnings.push(
      `${asSource.length} library sources did not compile and are kept as source: ${asSource
        .slice(0, 3)
        .map((c) => `/${c.path}`)
        .join(", ")}${asSource.length > 3 ? ", ..." : ""}`,
    );
  const covered = compiled.reduce((n, c) => n + c.sources.length, 0);
  if (covered !== bytecode.sources.length)
    throw new VerifyError(
      `the bytecode stage left ${bytecode.sources.length - covered} of ${bytecode.sources.length} library modules out of ${candidate}`,
    );
  return audit;
}

/** The minified image verified with the same probes, and against its source (differential) unless turned off. */
async function verifyCandidate(
  opts: MinifyOptions,
  candidate: string,
  timeoutMs: number,
  progress: (e: MinifyProgressEvent) => void,
): Promise<VerifyResult> {
  const { verifyImage } = await import("../verify/verify.js");
  const verifyOpts = {
    ...verifyPart(opts),
    image: candidate,
    timeoutMs,
    onProgress: (event: VerifyProgressEvent) => progress({ type: "verify", phase: "verify", event }),
  };
  // The source image is the original: the minified one must answer its discovered request set alike.
  return opts.differential === false
    ? await verifyImage(verifyOpts)
    : await (await import("../verify/differential.js")).verifyAgainst({
        ...verifyOpts,
        against: opts.image,
        ...(opts.maxRequests ? { discovery: { maxRequests: opts.maxRequests } } : {}),
      });
}

/** The discovered requests were compared after the build, never traced: what they load was kept only if a unit covered it. */
function untracedWarning(verify: VerifyResult): string | undefined {
  const untraced = (verify.differential?.requests ?? []).filter((r) => r.source !== "probe");
  if (!untraced.length) return undefined;
  return `thin trace: ${untraced.length} requests found by discovery were not traced, only compared with the source after the build: ${untraced
    .slice(0, 5)
    .map((r) => `${r.request} (${r.source})`)
    .join(", ")}${untraced.length > 5 ? ", ..." : ""}`;
}

function verifyPart(
  opts: MinifyOptions,
): Pick<
  VerifyOptions,
  "probes" | "env" | "compose" | "wait" | "command" | "entrypoint" | "labels" | "signal" | "livenessMs"
> {
  return {
    probes: opts.probes,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.compose ? { compose: opts.compose } : {}),
    ...(opts.wait ? { wait: opts.wait } : {}),
    ...(opts.command ? { command: opts.command } : {}),
    ...(opts.entrypoint ? { entrypoint: opts.entrypoint } : {}),
    ...(opts.labels ? { labels: opts.labels } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
}

function mergeTraces(a: TraceSummary, b: TraceSummary): TraceSummary {
  return {
    accessed: new Set([...a.accessed, ...b.accessed]),
    executed: new Set([...a.executed, ...b.executed]),
    syscalls: a.syscalls + b.syscalls,
    failed: a.failed + b.failed,
    unreadable: a.unreadable + b.unreadable,
  };
}

/** The argv of the image's HEALTHCHECK command (undefined without one, or for NONE). */
export function healthCommand(config: ImageConfig): string[] | undefined {
  const [kind, ...rest] = config.healthcheck?.test ?? [];
  if (kind === "CMD" && rest.length > 0) return rest;
  if (kind === "CMD-SHELL" && rest[0] !== undefined) return ["/bin/sh", "-c", rest[0]];
  return undefined;
}

/** `repo:tag` -> `repo-minified:tag`. */
export function defaultTag(image: string): string {
  const at = image.indexOf("@");
  const ref = at >= 0 ? image.slice(0, at) : image;
  const colon = ref.lastIndexOf(":");
  const hasTag = colon > ref.lastIndexOf("/");
  const repo = hasTag ? ref.slice(0, colon) : ref;
  const tag = hasTag ? ref.slice(colon + 1) : "latest";
  if (/^sha256$/.test(repo) || /^[0-9a-f]{12,64}$/.test(repo))
    return `slimstage-minified/${repo.slice(0, 12)}:latest`;
  return `${repo}-minified:${tag}`;
}

/** The `*.log` files of the tracer directory's tar export, by name. */
async function traceLogs(tar: Buffer): Promise<Map<string, string>> {
  const logs = new Map<string, string>();
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on("entry", (header, body, next) => {
      const name = header.name.split("/").pop() ?? "";
      if (header.type !== "file" || !name.endsWith(".log")) {
        body.on("end", next);
        body.resume();
        return;
      }
      const chunks: Buffer[] = [];
      body.on("data", (c: unknown) => {
        chunks.push(c as Buffer);
      });
      body.on("end", () => {
        logs.set(name, Buffer.concat(chunks).toString("utf8"));
        next();
      });
    });
    ex.on("finish", resolve);
    ex.on("error", (e) => reject(new VerifyError(`the tracer's logs could not be read: ${e.message}`)));
  });
  ex.end(tar);
  await done;
  return logs;
}

/**
 * A command probe as verify runs it (`/bin/sh -c COMMAND`), as plain words
 * when COMMAND has no shell syntax: then the trace, and so the minified
 * image, does not need a shell just because the probe was written as a string.
 */
export function plainWords(argv: string[]): string[] {
  const [sh, c, command] = argv;
  if (
    sh === "/bin/sh" &&
    c === "-c" &&
    argv.length === 3 &&
    command &&
    /^[A-Za-z0-9_./:=@%+, -]+$/.test(command)
  )
    return command.trim().split(/\s+/);
  return argv;
}

/** The loaders and `#!` programs behind what the run executed (the kernel opens them, strace does not see it). */
async function interpretersOf(
  engine: EngineConnection,
  id: string,
  executed: Iterable<string>,
  realFile: (path: string) => string | undefined,
): Promise<string[]> {
  const found = new Set<string>();
  const todo = [...executed];
  const seen = new Set<string>();
  while (todo.length > 0) {
    const path = todo.pop() as string;
    if (seen.has(path) || path.startsWith(`${TRACER_DIR}/`)) continue;
    seen.add(path);
    // The engine's archive export does not follow a final symlink: read the file the path resolves to in the image.
    const real = realFile(path);
    const head = real ? await readFileHead(engine, id, real, 64 * 1024) : undefined;
    if (!head) continue;
    const interp = loadedInterpreter(head);
    if (interp && !found.has(interp)) {
      found.add(interp);
      todo.push(interp);
    }
  }
  return [...found].sort();
}

/**
 * The traced sources (outside a standard library) read back and scanned for
 * loads by computed names: one streamed archive per directory that holds them
 * (a site-packages, a node_modules, the app), not one request per file.
 */
async function dynamicUses(
  engine: EngineConnection,
  id: string,
  accessed: Iterable<string>,
  realFile: (path: string) => string | undefined,
): Promise<DynamicUse[]> {
  const files = new Set<string>();
  for (const p of accessed) {
    const real = realFile(p);
    if (real && isScannable(real) && !/^\/usr\/(local\/)?lib\/python[\d.]+\/(?!site-packages\/)/.test(real))
      files.add(real);
  }
  const roots = new Set<string>();
  for (const f of files) {
    const m = /^(.*?\/(?:site-packages|dist-packages|node_modules))\//.exec(f);
    roots.add(m ? (m[1] as string) : f.slice(0, f.lastIndexOf("/")) || "/");
  }
  // A root inside another is read with it.
  const sorted = [...roots].sort();
  const top = sorted.filter((r) => !sorted.some((o) => o !== r && r.startsWith(`${o}/`)));
  const out: DynamicUse[] = [];
  // Never the whole file system: a source directly under / is not read.
  for (const root of top.filter((r) => r !== "/" && r !== "").slice(0, 20)) {
    const got = await readFilesUnder(engine, id, root, (p) => files.has(p), 1024 * 1024);
    for (const [path, body] of got) out.push(...scanSource(path.slice(1), body.toString("utf8")));
  }
  return out;
}

/** Warnings that name the units where the trace is thin: computed loads, lazy loads not taken, data kept in part. */
function thinTraceWarnings(x: {
  level: MinifyLevel;
  dynamic: readonly DynamicUse[];
  tree: ReturnType<typeof mergeLayers>;
  /** What is kept, and the units of the safe closure (the same at --level safe). */
  kept: Closure["why"];
  units: Closure["why"];
  traced: ReadonlySet<string>;
  ownerOf: ReturnType<typeof attributeOwners>["ownerOf"];
}): string[] {
  const { tree, kept } = x;
  const unitOf = (path: string) => {
    const w = x.units.get(path);
    if (w?.unit) return w.unit;
    const node = tree.get(path);
    const o = node ? x.ownerOf(node, path) : undefined;
    return o?.name ? `${o.kind === "os-package" ? "debian" : o.kind}:${o.name}` : `/${path}`;
  };
  const byUnit = new Map<string, DynamicUse[]>();
  for (const d of x.dynamic) {
    // A literal relative require/import is thin only when its target is in the image and the run never loaded it.
    if (d.what === "lazy-require") {
      const target = d.target ? requireTarget(tree, d.target) : undefined;
      if (!target || x.traced.has(`/${target}`)) continue;
      if (x.level === "safe" && kept.has(target)) continue;
    }
    const u = unitOf(d.path);
    byUnit.set(u, [...(byUnit.get(u) ?? []), d]);
  }
  const out: string[] = [];
  for (const [unit, uses] of [...byUnit].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const first = uses[0] as DynamicUse;
    const kind =
      first.what === "entry-points"
        ? "plugin entry points"
        : first.what === "lazy-require"
          ? `a load the run did not take (${first.target})`
          : "modules loaded by computed names";
    out.push(
      `thin trace: ${unit} has ${kind} (/${first.path}:${first.line}: ${first.text}${uses.length > 1 ? `; ${uses.length - 1} more` : ""})`,
    );
  }
  for (const f of partialFolders(tree, kept)) {
    out.push(
      `thin trace: ${unitOf(f.path)}: /${f.path} is kept in part (${f.kept} of ${f.total} files): the app may pick other templates, locales or zones by name`,
    );
  }
  if (x.level === "tight") {
    // The units --level safe would keep whole, of which tight keeps only some files.
    const parts = new Map<string, { kept: number; total: number }>();
    for (const [path, w] of x.units) {
      if (!w.unit || w.reason === "include" || w.reason === "runtime") continue;
      const p = parts.get(w.unit) ?? { kept: 0, total: 0 };
      p.total++;
      if (kept.has(path)) p.kept++;
      parts.set(w.unit, p);
    }
    const partial = [...parts].filter(([, p]) => p.kept < p.total).sort(([a], [b]) => (a < b ? -1 : 1));
    if (partial.length > 0)
      out.push(
        `thin trace: at --level tight these units are kept in part, and what the probes did not reach is gone: ${partial
          .map(([u, p]) => `${u} (${p.kept} of ${p.total} files)`)
          .join(", ")}`,
      );
  }
  return out;
}

/** The file Node would load for a relative require of `spec` (already joined to the requiring file's directory). */
function requireTarget(tree: ReturnType<typeof mergeLayers>, spec: string): string | undefined {
  for (const c of [spec, `${spec}.js`, `${spec}.json`, `${spec}/index.js`]) {
    const n = tree.get(c);
    if (n && n.children === null) return c;
  }
  return undefined;
}
