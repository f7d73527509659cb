import type { WriteStream } from "node:tty";
import { afterEach, describe, expect, it, vi } from "vitest";
import { colorFor } from "./runtime.js";

const tty = { isTTY: true, getColorDepth: () => 8 } as unknown as WriteStream;
const pipe = { isTTY: false } as unknown as WriteStream;

describe("colour support", () => {
  afterEach(() => vi.unstubAllEnvs());

  function env(vars: Record<string, string | undefined>) {
    for (const k of ["NO_COLOR", "FORCE_COLOR", "TERM", "CI", "COLORTERM"]) vi.stubEnv(k, undefined);
    for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
  }

  it("colours a terminal, not a pipe", () => {
    env({ TERM: "xterm-256color" });
    expect(colorFor(undefined, tty)).toBe(true);
    expect(colorFor(undefined, pipe)).toBe(false);
  });

  it("honours TERM=dumb, NO_COLOR and --no-color", () => {
    env({ TERM: "dumb" });
    expect(colorFor(undefined, tty)).toBe(false);
    env({ TERM: "xterm", NO_COLOR: "1" });
    expect(colorFor(undefined, tty)).toBe(false);
    env({ TERM: "xterm" });
    expect(colorFor(false, tty)).toBe(false);
  });

  it("honours FORCE_COLOR both ways", () => {
    env({ FORCE_COLOR: "1" });
    expect(colorFor(undefined, pipe)).toBe(true);
    env({ FORCE_COLOR: "1", TERM: "dumb" });
    expect(colorFor(undefined, tty)).toBe(true);
    env({ FORCE_COLOR: "0", TERM: "xterm-256color" });
    expect(colorFor(undefined, tty)).toBe(false);
  });
});
