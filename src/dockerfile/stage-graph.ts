/**
 * Stage graph: dependencies through FROM <stage>, COPY --from and
 * RUN --mount=from; what a target needs; which stages' filesystems reach the
 * final image and which only contribute copied files.
 */
import { ParseError } from "../errors.js";
import { expand, expandWord } from "./expand.js";
import type {
  Dockerfile,
  Instruction,
  Range,
  StageEdge,
  StageGraph,
  StageGraphOptions,
  StageInfo,
} from "./model.js";

function errorAt(df: Dockerfile, message: string, range: Range | undefined, _ins?: Instruction): ParseError {
  // The source line of the range: the matching line of the instruction that holds it.
  const line = range?.start.line ?? 0;
  const owner = df.instructions.find((i) => i.range.start.line <= line && line <= i.range.end.line);
  const rawLines = (owner?.raw ?? "").split(/\r?\n/);
  const sourceLine = owner ? (rawLines[line - owner.range.start.line] ?? "") : "";
  if (!range) return new ParseError(message);
  return new ParseError(message, {
    location: { line: range.start.line, column: range.start.column, ...(df.file ? { file: df.file } : {}) },
    sourceLine,
  });
}

export function buildStageGraph(df: Dockerfile, opts: StageGraphOptions = {}): StageGraph {
  const exp = expand(df, opts.buildArgs ? { buildArgs: opts.buildArgs } : {});
  const byName: Record<string, number> = {};
  for (const s of df.stages) {
    if (s.name === undefined) continue;
    const key = s.name.toLowerCase();
    if (key in byName) throw errorAt(df, `duplicate stage name "${s.name}"`, s.from.range, s.from);
    byName[key] = s.index;
  }
  const stages: StageInfo[] = [];
  const edges: StageEdge[] = [];
  for (const s of df.stages) {
    const es = exp.stages[s.index];
    const image = es?.baseImage ?? s.from.image;
    // FROM only sees stages defined before it (BuildKit's addState).
    const named = byName[image.toLowerCase()];
    const baseIdx = named !== undefined && named < s.index ? named : undefined;
    const info: StageInfo = {
      index: s.index,
      base: baseIdx !== undefined ? { stage: baseIdx } : { image },
      deps: [],
      externalImages: [],
      reachable: false,
      reachesFinalImage: false,
      contributesFiles: false,
    };
    if (s.name !== undefined) info.name = s.name;
    if (baseIdx !== undefined) {
      const e: StageEdge = { kind: "from", from: s.index, to: baseIdx, range: s.from.range };
      info.deps.push(e);
    }
    const resolve = (value: string, ins: Instruction, kind: "copy" | "mount", range: Range) => {
      // BuildKit does not expand variables in --from (it rejects them).
      if (expandWord(value, () => undefined, { escape: df.escape, strict: false }) !== value) {
        throw errorAt(
          df,
          "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround",
          range,
          ins,
        );
      }
      if (/^\d+$/.test(value)) {
        const n = Number(value);
        if (n >= df.stages.length)
          throw errorAt(
            df,
            `invalid stage index ${value} (there are ${df.stages.length} stages)`,
            range,
            ins,
          );
        info.deps.push({ kind, from: s.index, to: n, range });
        return;
      }
      const idx = byName[value.toLowerCase()];
      if (idx !== undefined) info.deps.push({ kind, from: s.index, to: idx, range });
      else if (!info.externalImages.includes(value)) info.externalImages.push(value);
    };
    for (const ins of s.instructions) {
      if (ins.keyword === "COPY" && ins.from !== undefined) {
        const f = ins.flags.find((x) => x.name === "from");
        resolve(ins.from, ins, "copy", f?.range ?? ins.range);
      } else if (ins.keyword === "RUN") {
        for (const m of ins.mounts) if (m.from !== undefined) resolve(m.from, ins, "mount", m.flag.range);
      }
    }
    edges.push(...info.deps);
    stages.push(info);
  }
  if (stages.length === 0) throw new ParseError("the Dockerfile has no stages (no FROM)");
  let target = stages.length - 1;
  if (opts.target !== undefined) {
    const t = byName[opts.target.toLowerCase()];
    if (t === undefined) {
      const names = Object.keys(byName);
      throw new ParseError(`target stage "${opts.target}" could not be found`, {
        hint: names.length > 0 ? `stages: ${names.join(", ")}` : "no stage has a name (FROM image AS name)",
      });
    }
    target = t;
  }
  // Cycle check over the whole graph (BuildKit rejects any circular reference).
  const state = new Array<number>(stages.length).fill(0);
  const visit = (i: number, path: number[]) => {
    if (state[i] === 2) return;
    if (state[i] === 1) {
      const s = df.stages[i];
      const name = s?.name ?? String(i);
      const dep = edges.find((e) => e.to === i && path.includes(e.from));
      throw errorAt(
        df,
        `circular dependency detected on stage: ${name}`,
        dep?.range ?? s?.from.range,
        s?.from,
      );
    }
    state[i] = 1;
    for (const e of stages[i]?.deps ?? []) visit(e.to, [...path, i]);
    state[i] = 2;
  };
  for (let i = 0; i < stages.length; i++) visit(i, []);
  const order: number[] = [];
  const seen = new Set<number>();
  const walk = (i: number) => {
    if (seen.has(i)) return;
    seen.add(i);
    for (const e of stages[i]?.deps ?? []) walk(e.to);
    order.push(i);
  };
  walk(target);
  for (const i of seen) (stages[i] as StageInfo).reachable = true;
  for (let i: number | undefined = target; i !== undefined; ) {
    const st: StageInfo = stages[i] as StageInfo;
    st.reachesFinalImage = true;
    i = "stage" in st.base ? st.base.stage : undefined;
  }
  for (const st of stages) st.contributesFiles = st.reachable && !st.reachesFinalImage;
  return { stages, byName, target, order, edges };
}
