/**
 * Parses BuildKit's plain progress output (`--progress=plain`) into step
 * events. The format is line-based: every line about a vertex starts with
 * `#N `; a vertex is named once (`#5 [stage 2/3] RUN ...`), then gets log
 * lines (`#5 0.345 text`), and ends with `#5 DONE 1.2s`, `#5 CACHED` or
 * `#5 ERROR: message`. Error summaries follow in `------` blocks, and newer
 * BuildKit versions print the Dockerfile location as `Dockerfile:N`.
 * No library parses this format, so it is done here by hand.
 */

export interface BuildStep {
  /** BuildKit's vertex number (`#N`). */
  id: number;
  /** The vertex name as BuildKit prints it, e.g. `[builder 2/3] RUN pip install ...`. */
  name: string;
  /** The stage (`builder`, `stage-1`), when the name carries one. */
  stage?: string;
  /** Position within the stage (`2/3` -> 2 and 3), when the name carries one. */
  index?: number;
  total?: number;
  /** The Dockerfile instruction text (the name without the `[stage i/n]` prefix). */
  instruction?: string;
  /** BuildKit bookkeeping (`[internal] load ...`, `exporting to image`), not a Dockerfile step. */
  internal: boolean;
  durationMs: number;
  cached: boolean;
  /** The error message, when this step failed. */
  error?: string;
  /** Output lines of the step (timestamps stripped), capped in length. */
  output: string[];
}

export type BuildProgressEvent =
  | { type: "step-start"; step: BuildStep }
  | { type: "step-log"; step: BuildStep; line: string }
  | { type: "step-done"; step: BuildStep }
  | { type: "step-cached"; step: BuildStep }
  | { type: "step-error"; step: BuildStep; message: string };

const MAX_OUTPUT_LINES = 400;

const VERTEX = /^#(\d+) (.*)$/;
const NAME_PREFIX = /^\[(?:(\S+) )?(\d+)\/(\d+)\] (.*)$/s;
const DONE = /^DONE (\d+(?:\.\d+)?)s$/;
const LOG = /^(\d+\.\d+) (.*)$/s;
const DOCKERFILE_LOC = /^(\S*Dockerfile[^:\s]*):(\d+)$/;

/** Splits `[builder 2/3] RUN x` into its parts; other names are internal. */
export function describeVertexName(
  name: string,
): Pick<BuildStep, "stage" | "index" | "total" | "instruction" | "internal"> {
  const m = NAME_PREFIX.exec(name);
  if (!m) return { internal: true };
  const [, stage, index, total, instruction] = m;
  if (stage === "internal") return { internal: true };
  return {
    ...(stage ? { stage } : {}),
    index: Number(index),
    total: Number(total),
    instruction: instruction ?? "",
    internal: false,
  };
}

/**
 * Stateful line parser: feed it lines as they arrive (`push`), read the steps
 * and the error summary when the build ends.
 */
export class BuildProgressParser {
  private readonly byId = new Map<number, BuildStep>();
  private readonly order: BuildStep[] = [];
  private readonly started = new Map<number, number>();
  /** Lines of the `------` error blocks and anything after them. */
  readonly errorLines: string[] = [];
  /** `Dockerfile:N` locations printed by newer BuildKit versions. */
  readonly locations: { file: string; line: number }[] = [];
  /** `writing image sha256:...` seen in the export step. */
  imageId?: string;
  private inErrorBlock = false;

  constructor(
    private readonly onEvent?: (e: BuildProgressEvent) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get steps(): BuildStep[] {
    return [...this.order];
  }

  /** The step that reported an ERROR, if any. */
  get failedStep(): BuildStep | undefined {
    return this.order.find((s) => s.error !== undefined && !s.internal) ?? this.order.find((s) => s.error);
  }

  push(rawLine: string): void {
    const line = rawLine.replace(/\r$/, "");
    const v = VERTEX.exec(line);
    if (!v) {
      this.pushOther(line);
      return;
    }
    this.inErrorBlock = false;
    const id = Number(v[1]);
    const rest = v[2] ?? "";
    let step = this.byId.get(id);
    if (!step) {
      // The first line of a vertex is its name.
      step = { id, name: rest, ...describeVertexName(rest), durationMs: 0, cached: false, output: [] };
      this.byId.set(id, step);
      this.order.push(step);
      this.started.set(id, this.now());
      this.onEvent?.({ type: "step-start", step });
      return;
    }
    if (rest.startsWith("sha256:") && !rest.includes(" ")) return;
    if (rest === "CACHED") {
      step.cached = true;
      this.onEvent?.({ type: "step-cached", step });
      return;
    }
    const done = DONE.exec(rest);
    if (done) {
      step.durationMs = Math.round(Number(done[1]) * 1000);
      this.onEvent?.({ type: "step-done", step });
      return;
    }
    if (rest.startsWith("ERROR")) {
      const message = rest.replace(/^ERROR:?\s*/, "");
      step.error = message;
      step.durationMs ||= this.now() - (this.started.get(id) ?? this.now());
      this.onEvent?.({ type: "step-error", step, message });
      return;
    }
    const log = LOG.exec(rest);
    const text = log ? (log[2] ?? "") : rest;
    const written = /writing image (sha256:[0-9a-f]{64})/.exec(text);
    if (written?.[1]) this.imageId = written[1];
    step.output.push(text);
    if (step.output.length > MAX_OUTPUT_LINES) step.output.shift(); // the tail matters on failure
    this.onEvent?.({ type: "step-log", step, line: text });
  }

  private pushOther(line: string): void {
    if (line.trim() === "") return;
    if (line === "------") {
      this.inErrorBlock = !this.inErrorBlock;
      this.errorLines.push(line);
      return;
    }
    const loc = DOCKERFILE_LOC.exec(line.trim());
    if (loc?.[1] && loc[2]) this.locations.push({ file: loc[1], line: Number(loc[2]) });
    this.errorLines.push(line);
  }

  /** The last `error: ...`/`failed to solve` style line, if the client printed one. */
  get finalError(): string | undefined {
    for (let i = this.errorLines.length - 1; i >= 0; i--) {
      const l = this.errorLines[i] ?? "";
      if (/^(error|ERROR)\b|failed to solve|executor failed/.test(l.trim())) return l.trim();
    }
    const last = this.errorLines.filter((l) => l !== "------" && !l.startsWith(" > ")).at(-1);
    return last?.trim();
  }
}
