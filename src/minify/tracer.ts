import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BuildProgressEvent, buildImage } from "../engine/build/build.js";
import type { EngineConnection } from "../engine/connect.js";
import { copyFromContainer } from "../engine/container-files.js";
import { createContainer } from "../engine/containers.js";
import { inspectEngineImage } from "../engine/images.js";
import { InputError } from "../errors.js";

/**
 * The tracer: Debian's strace with its shared libraries and its own dynamic
 * loader, under /.slimstage. Run as `/.slimstage/ld.so --library-path
 * /.slimstage/lib /.slimstage/strace ...`, it works in any Linux image of the
 * same architecture (glibc, musl or none at all), and the traced program
 * still runs with the image's own loader and libraries.
 */
export const TRACER_DIR = "/.slimstage";
/** Where the traces go: apart from the tracer's binaries, so collecting them copies only them. */
export const TRACE_LOG_DIR = `${TRACER_DIR}/logs`;
export const TRACE_FILE = `${TRACE_LOG_DIR}/trace.log`;
/** The trace of the image's HEALTHCHECK command, run once under the tracer after the probes. */
export const HEALTH_TRACE_FILE = `${TRACE_LOG_DIR}/health.log`;
export const TRACER_TAG = "slimstage/tracer:strace";
const RECIPE_LABEL = "org.slimstage.tracer-recipe";

export function tracerDockerfile(base: string): string {
  return [
    `FROM ${base}`,
    "RUN apt-get update \\",
    " && apt-get install -y --no-install-recommends strace \\",
    ` && mkdir -p ${TRACER_DIR}/lib ${TRACE_LOG_DIR} \\`,
    ` && cp /usr/bin/strace ${TRACER_DIR}/strace \\`,
    ` && ldd /usr/bin/strace | awk '$2 == "=>" && $3 ~ /^\\// { print $3 }' | xargs -I{} cp -L {} ${TRACER_DIR}/lib/ \\`,
    ` && cp -L "$(ldd /usr/bin/strace | awk '$1 ~ /^\\/.*ld-linux/ { print $1 }')" ${TRACER_DIR}/ld.so \\`,
    // World-writable (sticky): the traced app may run as any user and strace writes its logs here.
    ` && chmod 1777 ${TRACE_LOG_DIR} \\`,
    " && rm -rf /var/lib/apt/lists/*",
    "",
  ].join("\n");
}

/**
 * The argv that runs `command` under the tracer: follow forks, print the
 * paths behind file descriptors (-y), only file and process syscalls, with
 * seccomp filtering so untraced syscalls run at full speed. `-I 1` lets
 * SIGTERM through to strace, which then flushes its log and exits (with
 * docker's init as PID 1 forwarding the signal).
 */
export function tracedArgv(command: readonly string[], output: string = TRACE_FILE): string[] {
  return [
    `${TRACER_DIR}/ld.so`,
    "--library-path",
    `${TRACER_DIR}/lib`,
    `${TRACER_DIR}/strace`,
    "-I",
    "1",
    "--seccomp-bpf",
    "-f",
    "-qq",
    "-y",
    "-s",
    "4096",
    "-e",
    "trace=%file,%process",
    "-e",
    "signal=none",
    "-o",
    output,
    "--",
    ...command,
  ];
}

export interface TracerOptions {
  engine: EngineConnection;
  /** Debian image to build the tracer from (default debian:bookworm-slim, a local base). */
  base?: string;
  signal?: AbortSignal;
  onProgress?: (e: BuildProgressEvent) => void;
  labels?: Record<string, string>;
}

/**
 * Builds the tracer image once (kept, like the local bases; rebuilt when its
 * recipe changes) and returns its /.slimstage directory as a tar archive.
 */
export async function tracerArchive(opts: TracerOptions): Promise<Buffer> {
  const base = opts.base ?? "debian:bookworm-slim";
  const recipe = tracerDockerfile(base);
  const hash = createHash("sha256").update(recipe).digest("hex");
  const have = await inspectEngineImage(TRACER_TAG, opts.engine).catch(() => undefined);
  if (have?.labels[RECIPE_LABEL] !== hash) {
    await inspectEngineImage(base, opts.engine).catch((e: unknown) => {
      throw new InputError(`the tracer is built from ${base}, which the engine does not have`, {
        cause: e,
        hint: "run `slimstage bases build` (it makes debian:bookworm-slim locally)",
      });
    });
    const dir = await mkdtemp(join(tmpdir(), "slimstage-tracer-"));
    try {
      await writeFile(join(dir, "Dockerfile"), recipe);
      await buildImage({
        context: dir,
        tags: [TRACER_TAG],
        labels: { [RECIPE_LABEL]: hash, "org.slimstage.tracer": "strace" },
        engine: opts.engine,
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  // A created (never started) container is enough to copy files out of.
  const id = await createContainer(opts.engine, {
    image: TRACER_TAG,
    entrypoint: ["/bin/true"],
    ...(opts.labels ? { labels: opts.labels } : {}),
  });
  try {
    return await copyFromContainer(opts.engine, id, TRACER_DIR, 64 * 1024 * 1024);
  } finally {
    await opts.engine.docker
      .getContainer(id)
      .remove({ force: true })
      .catch(() => undefined);
  }
}
