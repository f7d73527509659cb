/**
 * Shared pieces of the fuzz suite (`*.fuzz.test.ts`): how many cases to
 * run and mutation-based generators. CI runs a bounded number of cases;
 * SLIMSTAGE_FUZZ_RUNS=N runs N per property (SLIMSTAGE_FUZZ_SEED=S repeats
 * a run that fast-check reported).
 */
import fc from "fast-check";
import { expect } from "vitest";
import { isSlimstageError } from "../src/errors.js";

/** Cases per property: `ci` by default, SLIMSTAGE_FUZZ_RUNS when set. */
export function fuzzRuns(ci: number): { numRuns: number; seed?: number } {
  const n = Number(process.env.SLIMSTAGE_FUZZ_RUNS);
  const seed = Number(process.env.SLIMSTAGE_FUZZ_SEED);
  return {
    numRuns: Number.isInteger(n) && n > 0 ? n : ci,
    ...(Number.isInteger(seed) ? { seed } : {}),
  };
}

/** A per-test timeout that grows with SLIMSTAGE_FUZZ_RUNS. */
export function fuzzTimeout(ci: number, msPerCase: number): number {
  return Math.max(60_000, fuzzRuns(ci).numRuns * msPerCase);
}

type Op =
  | { kind: "insert"; at: number; text: string }
  | { kind: "delete"; at: number; len: number }
  | { kind: "repeat"; at: number; len: number; times: number }
  | { kind: "flip"; at: number; char: string };

function apply(text: string, op: Op): string {
  const at = text.length === 0 ? 0 : op.at % (text.length + 1);
  switch (op.kind) {
    case "insert":
      return text.slice(0, at) + op.text + text.slice(at);
    case "delete":
      return text.slice(0, at) + text.slice(at + op.len);
    case "repeat": {
      const part = text.slice(at, at + op.len);
      return text.slice(0, at) + part.repeat(op.times) + text.slice(at);
    }
    case "flip":
      return text.slice(0, at) + op.char + text.slice(at + 1);
  }
}

/** Texts made from `seeds` by a few edits, with `snippets` (hostile fragments) among the inserted text. */
export function mutated(seeds: readonly string[], snippets: readonly string[]): fc.Arbitrary<string> {
  const text = fc.oneof(
    fc.constantFrom(...snippets),
    fc.string({ maxLength: 20 }),
    fc.constantFrom("\n", "\\\n", " "),
  );
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text }),
    fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
    fc.record({
      kind: fc.constant("repeat" as const),
      at: fc.nat(),
      len: fc.integer({ min: 1, max: 30 }),
      times: fc.integer({ min: 2, max: 60 }),
    }),
    fc.record({
      kind: fc.constant("flip" as const),
      at: fc.nat(),
      char: fc.string({ minLength: 1, maxLength: 1 }),
    }),
  );
  return fc
    .record({ seed: fc.constantFrom(...seeds), ops: fc.array(op, { minLength: 1, maxLength: 8 }) })
    .map(({ seed, ops }) => ops.reduce(apply, seed));
}

/** Runs `f`; anything thrown must be one of slimstage's typed input errors. */
export function onlyInputErrors(f: () => void, what: string): void {
  try {
    f();
  } catch (e) {
    if (!isSlimstageError(e) || e.kind !== "input") {
      expect.fail(`${what}: ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`);
    }
  }
}

/** The same for async work. */
export async function onlyInputErrorsAsync(f: () => Promise<unknown>, what: string): Promise<void> {
  try {
    await f();
  } catch (e) {
    if (!isSlimstageError(e) || e.kind !== "input") {
      expect.fail(`${what}: ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`);
    }
  }
}
