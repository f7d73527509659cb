import path from "node:path";
import { withPackageIndex } from "../bases/package-index.js";
import type { RunTarget } from "../bases/wheelhouse-run.js";
import type { EngineConnection } from "../engine/connect.js";
import { InputError } from "../errors.js";
import type { BuildInputs, BuildRun } from "./languages/language.js";
import type { PythonProject } from "./project.js";

/** The build argument the generated Python stages declare: pip's find-links for this run's index. */
export const FIND_LINKS_ARG = "PIP_FIND_LINKS";

/** Build-system requirements of a pyproject (the backend pip needs to install the project itself). */
async function buildBackend(dir: string): Promise<string[]> {
  const { readFile } = await import("node:fs/promises");
  const text = await readFile(path.join(dir, "pyproject.toml"), "utf8").catch(() => "");
  const m = /\[build-system\][^[]*?requires\s*=\s*\[([^\]]*)\]/s.exec(text);
  return m?.[1] ? [...m[1].matchAll(/["']([^"']+)["']/g)].map((x) => x[1] as string) : [];
}

/**
 * Runs `fn` with a package index for this run when the project is Python:
 * the project's requirements resolved by the host's pip into a fresh
 * wheelhouse, served on a free port that only this run uses (two concurrent
 * runs never share an index) where builds reach it (bases/package-index.ts),
 * passed to the build as PIP_FIND_LINKS. Always stopped and removed afterwards.
 */
export async function withProjectIndex<T>(
  project: PythonProject,
  opts: BuildRun,
  fn: (build: BuildInputs) => Promise<T>,
): Promise<T> {
  const { signal } = opts;
  const { fillRunWheelhouse } = await import("../bases/wheelhouse-run.js");
  const lines = [...(project.deps.exported ?? []), ...(project.tests?.packages ?? [])];
  if (project.deps.installProject) lines.push(...(await buildBackend(project.dir)));
  if (project.deps.source === "requirements" && project.deps.requirementFiles.length === 0)
    lines.push(...project.deps.names);
  const target = opts.builderBase ? await baseInterpreter(opts.builderBase, opts.engine) : undefined;
  const wheels = await fillRunWheelhouse(
    {
      files: [...project.deps.requirementFiles, ...(project.tests?.requirementFiles ?? [])].map((f) =>
        path.join(project.dir, f),
      ),
      lines,
    },
    signal ?? new AbortController().signal,
    {
      ...(target ? { target } : {}),
      ...(opts.progress ? { progress: opts.progress } : {}),
    },
  );
  if (target && wheels.added.length > 0) {
    opts.progress?.(
      `the run's wheelhouse adds ${wheels.added.map((n) => `${n.requirement} (${n.dist} ${n.version} needs it)`).join(", ")} for Python ${target.python}, ${target.where}'s interpreter: the host's pip judged the markers for its own`,
    );
  }
  try {
    const start = {
      ...(signal ? { signal } : {}),
      dir: wheels.dir,
      port: runIndexPort(),
      ...(opts.engine ? { engine: opts.engine } : {}),
    };
    return await withPackageIndex(start, (index) =>
      fn({ buildArgs: { [FIND_LINKS_ARG]: index.url }, ...index.reach }),
    );
  } finally {
    await wheels.remove();
  }
}

/**
 * The CPython version of the image the build installs in, from its
 * PYTHON_VERSION (the official images and slimstage's stand-in set it): the
 * host's pip judges markers with its own interpreter, which can differ in the
 * micro version. Unknown (no engine, no such image, no variable): no marker pass.
 */
export async function baseInterpreter(
  image: string,
  engine: EngineConnection | undefined,
): Promise<RunTarget | undefined> {
  if (!engine) return undefined;
  const { inspectEngineImage } = await import("../engine/images.js");
  const info = await inspectEngineImage(image, engine).catch(() => undefined);
  const version = pythonVersionOf(info?.env ?? []);
  return version ? { python: version, where: `the base image ${image}` } : undefined;
}

/** PYTHON_VERSION=3.11.2 among ENV lines, when it is a full release version. */
export function pythonVersionOf(env: readonly string[]): string | undefined {
  const line = env.find((e) => e.startsWith("PYTHON_VERSION="));
  const v = line?.slice("PYTHON_VERSION=".length).trim();
  return v && /^\d+\.\d+\.\d+$/.test(v) ? v : undefined;
}

/**
 * The per-run index listens on a free port (0) unless SLIMSTAGE_RUN_INDEX_PORT
 * pins one: an engine that reaches this host only through forwarded ports
 * (`ssh -R PORT:127.0.0.1:PORT`, a namespaced dockerd) needs a port known in
 * advance. A pinned port that is taken fails the run instead of sharing.
 */
export function runIndexPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SLIMSTAGE_RUN_INDEX_PORT;
  if (raw === undefined || raw === "") return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new InputError(`SLIMSTAGE_RUN_INDEX_PORT="${raw}" must be a port number from 1 to 65535`);
  return port;
}
