/**
 * Bounds on the work one Dockerfile can cause, so that any input up to
 * 10 MB is parsed, expanded and linted in bounded time and memory. Real
 * Dockerfiles stay far below each of them; input over a bound is a
 * ParseError at the instruction that crossed it.
 */
const MiB = 1024 * 1024;

export const DOCKERFILE_LIMITS = {
  /** Longest value one word may expand to (`ENV A=$A$A` doubling stops here). */
  maxExpandedLength: 1 * MiB,
  /** All expanded words of one file together. */
  maxExpandedTotal: 64 * MiB,
  /** `${A:-${B:-...}}` nesting depth: the word lexer recurses once per level. */
  maxNesting: 64,
} as const;
