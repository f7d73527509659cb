import type { Dockerfile, ExpandOptions, ExpandWordOptions, Expansion, VarLookup } from "./model.js";

export function expand(_df: Dockerfile, _opts: ExpandOptions = {}): Expansion {
  throw new Error("not implemented yet");
}

export function expandWord(_word: string, _lookup: VarLookup, _opts: ExpandWordOptions = {}): string {
  throw new Error("not implemented yet");
}
