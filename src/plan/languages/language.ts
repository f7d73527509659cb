/**
 * A language optimize knows: how to recognise its projects, what to detect in
 * them, how to plan their Dockerfile, and what the pipeline needs to build and
 * verify them. optimize (src/plan/optimize.ts) asks the registry (index.ts) and
 * has no branch on the language itself; adding one is a module here plus its
 * detection and templates (ARCHITECTURE.md, "A language").
 */
import type { BuildIndex } from "../../bases/package-index.js";
import type { EngineConnection } from "../../engine/connect.js";
import type { ProjectFiles } from "../detect/files.js";
import type { DetectOptions } from "../detect/options.js";
import type { Project } from "../project.js";
import type { PlannedFiles, TemplateOptions, Tier, WritablePath } from "../templates/text.js";

/** What a build of the project is given besides its context: build arguments, and how it reaches the package index. */
export type BuildInputs = { buildArgs: Record<string, string> } & BuildIndex["reach"];

/** What a language's build inputs are made for: the run's signal, engine, builder base and progress. */
export interface BuildRun {
  signal: AbortSignal | undefined;
  engine: EngineConnection | undefined;
  /** The image the build installs the dependencies in (the plan's builder FROM), when known. */
  builderBase?: string;
  progress?: (line: string) => void;
}

/** A build with nothing extra: no arguments, the engine's default network. */
export const NO_BUILD_INPUTS: BuildInputs = { buildArgs: {}, network: "default", extraHosts: {} };

export interface Language<P extends Project = Project> {
  readonly kind: P["kind"];
  /** "Python", "Node": for messages. */
  readonly name: string;
  /** Where the generated stages install the dependencies, for messages: "the venv (/opt/venv)". */
  readonly dependencyFolder: string;
  /** The files that make a folder a project of this language, for the "no project" hint. */
  readonly manifests: readonly string[];
  /** A command that keeps a run-to-completion app's container up, so that its entry runs as a command probe. */
  readonly keepAlive: readonly string[];
  isProject(files: ProjectFiles): boolean;
  detect(files: ProjectFiles, opts: DetectOptions): Promise<P>;
  plan(project: P, tier: Tier, opts: TemplateOptions): PlannedFiles;
  /** Folders the app's own settings say it writes to (Django's MEDIA_ROOT), owned by the app user. */
  writable(project: P): readonly WritablePath[];
  /**
   * Runs `build` with what the language's builds need for this run (a package index of
   * its own, its build arguments and network); none: the build gets nothing extra.
   */
  withBuildInputs?<T>(project: P, run: BuildRun, build: (inputs: BuildInputs) => Promise<T>): Promise<T>;
}
