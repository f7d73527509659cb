/**
 * Finds the Dockerfile line of a BuildKit step. Newer BuildKit prints
 * `Dockerfile:N` itself; the one built into Docker 20.10 does not, so the step
 * (`[builder 2/3] RUN ...`) is mapped back to the file here: the stage by name
 * or `stage-K`, then the instruction by its position among the instructions
 * that make build steps, confirmed or replaced by a text match.
 *
 * This is a deliberately small scanner (logical lines, continuations,
 * comments, the escape directive); the full parser lives in src/dockerfile/.
 */

export interface DockerfileInstructionLine {
  keyword: string;
  /** The instruction joined onto one line, whitespace collapsed. */
  text: string;
  line: number;
  endLine: number;
  /** The first physical line, as written. */
  sourceLine: string;
}

export interface DockerfileStageLines {
  name?: string;
  index: number;
  /** True for `FROM scratch`: BuildKit shows no step for it. */
  scratch: boolean;
  instructions: DockerfileInstructionLine[];
}

export function scanDockerfile(text: string): DockerfileStageLines[] {
  const lines = text.split(/\r?\n/);
  let escapeChar = "\\";
  const instructions: DockerfileInstructionLine[] = [];
  let directives = true;
  let i = 0;
  while (i < lines.length) {
    const raw = lines[i] ?? "";
    const trimmed = raw.trim();
    if (directives) {
      const d = /^#\s*escape\s*=\s*(\S)\s*$/i.exec(trimmed);
      if (d?.[1]) escapeChar = d[1];
      if (!/^#\s*\w+\s*=/.test(trimmed)) directives = false;
    }
    if (trimmed === "" || trimmed.startsWith("#")) {
      i++;
      continue;
    }
    const start = i;
    let joined = "";
    let cur = raw;
    for (;;) {
      const t = cur.replace(/\s+$/, "");
      if (t.endsWith(escapeChar) && i + 1 < lines.length) {
        joined += `${t.slice(0, -1)} `;
        i++;
        // Comment and empty lines inside a continuation are dropped.
        while (i < lines.length && /^\s*(#.*)?$/.test(lines[i] ?? "") && i + 1 < lines.length) i++;
        cur = lines[i] ?? "";
        continue;
      }
      joined += t;
      break;
    }
    const norm = joined.trim().replace(/\s+/g, " ");
    const keyword = (norm.split(" ")[0] ?? "").toUpperCase();
    instructions.push({ keyword, text: norm, line: start + 1, endLine: i + 1, sourceLine: raw });
    i++;
  }

  const stages: DockerfileStageLines[] = [];
  for (const ins of instructions) {
    if (ins.keyword === "FROM") {
      const parts = ins.text.split(" ").filter((p) => !p.startsWith("--"));
      const asAt = parts.findIndex((p) => p.toLowerCase() === "as");
      const image = parts[1] ?? "";
      stages.push({
        ...(asAt > 0 && parts[asAt + 1] ? { name: parts[asAt + 1] } : {}),
        index: stages.length,
        scratch: image.toLowerCase() === "scratch",
        instructions: [ins],
      });
    } else {
      stages.at(-1)?.instructions.push(ins);
    }
  }
  return stages;
}

const STEP_KEYWORDS = new Set(["RUN", "COPY", "ADD", "WORKDIR"]);

function stepInstructions(stage: DockerfileStageLines): DockerfileInstructionLine[] {
  return stage.instructions.filter(
    (ins) => STEP_KEYWORDS.has(ins.keyword) || (ins.keyword === "FROM" && !stage.scratch),
  );
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Does BuildKit's (variable-expanded) step text match the instruction as written? */
function textMatches(written: string, shown: string): boolean {
  const a = written.replace(/\s+/g, " ").trim();
  const b = shown.replace(/\s+/g, " ").trim();
  if (a === b) return true;
  // Variables are expanded in the step name: let each $X / ${X...} match anything.
  const pattern = a
    .split(/(\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*)/)
    .map((part, k) => (k % 2 === 1 ? ".*?" : escapeRegExp(part)))
    .join("");
  try {
    return new RegExp(`^${pattern}$`, "s").test(b);
  } catch {
    return false;
  }
}

export interface StepRef {
  stage?: string;
  index?: number;
  total?: number;
  instruction?: string;
}

/** The Dockerfile instruction behind a BuildKit step, or undefined when it cannot be told. */
export function locateStep(text: string, step: StepRef): DockerfileInstructionLine | undefined {
  const stages = scanDockerfile(text);
  let candidates = stages;
  if (step.stage) {
    const byName = stages.filter((s) => s.name === step.stage);
    const k = /^stage-(\d+)$/.exec(step.stage);
    candidates = byName.length > 0 ? byName : k ? stages.filter((s) => s.index === Number(k[1])) : stages;
  }
  // 1. Position, when the stage's step count agrees with BuildKit's.
  if (step.index !== undefined && step.total !== undefined) {
    const fits = candidates.filter((s) => stepInstructions(s).length === step.total);
    const hits = fits
      .map((s) => stepInstructions(s)[(step.index ?? 0) - 1])
      .filter((x): x is DockerfileInstructionLine => x !== undefined)
      .filter((x) => step.instruction === undefined || textMatches(x.text, step.instruction));
    if (hits.length === 1) return hits[0];
    if (hits.length > 1 && step.instruction === undefined) return hits[0];
  }
  // 2. Text, within the candidate stages, then anywhere.
  if (step.instruction !== undefined) {
    const shown = step.instruction;
    for (const pool of [candidates, stages]) {
      const hit = pool.flatMap((s) => s.instructions).find((ins) => textMatches(ins.text, shown));
      if (hit) return hit;
    }
  }
  return undefined;
}
