/**
 * Small helpers to write Dockerfile text that reads like a person wrote it:
 * commented sections, exec-form JSON arrays, continued RUN lines.
 */

/** Exec-form JSON array: ["python", "app.py"]. */
export function execForm(argv: string[]): string {
  return `[${argv.map((a) => JSON.stringify(a)).join(", ")}]`;
}

/** A RUN (or other) instruction whose shell commands are joined over continuation lines. */
export function runLines(prefix: string, commands: string[], joiner = " && "): string {
  if (commands.length === 1) return `${prefix}${commands[0]}`;
  return `${prefix}${commands.join(`${joiner.trimEnd()} \\\n    `)}`;
}

/** Shell single-quote a word. */
export function sq(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export class DockerfileText {
  private readonly parts: string[] = [];

  comment(...lines: string[]): this {
    for (const l of lines) this.parts.push(l ? `# ${l}` : "#");
    return this;
  }

  line(text: string): this {
    this.parts.push(text);
    return this;
  }

  blank(): this {
    if (this.parts.length > 0 && this.parts[this.parts.length - 1] !== "") this.parts.push("");
    return this;
  }

  toString(): string {
    while (this.parts[this.parts.length - 1] === "") this.parts.pop();
    return `${this.parts.join("\n")}\n`;
  }
}

/** A user-facing explanation of one decision in the generated Dockerfile. */
export interface Decision {
  /** Short topic: "builder", "tests", "runtime-libs", "user", ... */
  topic: string;
  text: string;
}

export interface PlannedFiles {
  dockerfile: string;
  dockerignore: string;
  /** Extra files the Dockerfile needs in the build context (exported lock requirements). */
  extraFiles: Record<string, string>;
  decisions: Decision[];
  /** The tier this plan is for. */
  tier: Tier;
  /** The stage that runs the tests, when the project has tests. */
  testStage?: string;
  /** The image the dependencies are installed in (the builder's FROM): whose interpreter judges markers, whose ENV the runtime carries. */
  builderBase?: string;
}

export type Tier = "slim" | "distroless";

/** A folder the app writes at run time, owned by the runtime user. */
export interface WritablePath {
  /** Absolute path in the image. */
  path: string;
  /** Why it is writable: "MEDIA_ROOT in settings.py", "VOLUME in Dockerfile:12", "--writable". */
  source: string;
}

export interface TemplateOptions {
  /** Base image of the builder and of the slim runtime. */
  baseImage?: string;
  /** The Debian base under the Python image, for the Python slim runtime (default debian:bookworm-slim). */
  runtimeBaseImage?: string;
  /** An HTTP path to probe in HEALTHCHECK (known from lab.yaml or --probe). */
  healthPath?: string;
  /** Leave the test stage out. */
  skipTests?: boolean;
  /** False: no `RUN --mount=type=cache` (the classic builder and docker-compose 1.x refuse it). Default true. */
  cacheMounts?: boolean;
  /** The UID/GID of the non-root user. */
  uid?: number;
  /** Folders the app writes to (absolute), owned by the app user in the runtime. */
  writable?: WritablePath[];
  /** The app's own ENTRYPOINT (a wrapper script), kept behind the init. */
  entrypoint?: string[];
  /** The CMD when it differs from the entry (behind an ENTRYPOINT); empty: no CMD. */
  cmd?: string[];
  /** The runtime's WORKDIR, where the app files go (default /app; a rewrite keeps the old one). */
  appDir?: string;
  /** The builder base's config ENV (NAME=value), read from the engine: the runtime carries its CA and locale settings. */
  baseEnv?: readonly string[];
}

/** What every language's plan starts from: the tier, its options with their defaults, the text written. */
export interface PlanStateBase {
  tier: Tier;
  opts: TemplateOptions;
  /** Builder image (and the slim runtime's), `opts.baseImage` or the language's default. */
  base: string;
  /** The Debian release under the language's image, for the slim runtime. */
  runtimeBase: string;
  uid: number;
  appDir: string;
  decisions: Decision[];
  df: DockerfileText;
}

export function planStateBase(tier: Tier, opts: TemplateOptions, defaultBase: string): PlanStateBase {
  return {
    tier,
    opts,
    base: opts.baseImage ?? defaultBase,
    // The Debian release the official language images are built on (bookworm for python:3.11 and node:22).
    runtimeBase: opts.runtimeBaseImage ?? "debian:bookworm-slim",
    uid: opts.uid ?? 10001,
    appDir: opts.appDir ?? "/app",
    decisions: [],
    df: new DockerfileText(),
  };
}

/** The header line of a generated file that needs BuildKit (portable.ts replaces it without cache mounts). */
export const NEEDS_BUILDKIT = "Needs BuildKit (cache mounts): docker buildx build . (or slimstage build).";
