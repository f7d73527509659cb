import { InputError } from "../errors.js";

/** `--max-ratio N` as image read limits: a layer may expand at most N:1 (past 256 MiB) before it counts as a bomb. */
export function ratioLimit(raw: string | undefined): { limits?: { maxCompressionRatio: number } } {
  if (raw === undefined) return {};
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 1) throw new InputError(`--max-ratio "${raw}" must be a number above 1`);
  return { limits: { maxCompressionRatio: n } };
}
