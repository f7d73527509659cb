import type { Dockerfile, StageGraph, StageGraphOptions } from "./model.js";

export function buildStageGraph(_df: Dockerfile, _opts: StageGraphOptions = {}): StageGraph {
  throw new Error("not implemented yet");
}
