import { describe, expect, it } from "vitest";
import { formatBytes, formatMs, PhaseClock, ProgressDisplay } from "./progress.js";
import type { CliRuntime } from "./runtime.js";

function runtime(over: Partial<CliRuntime> = {}): { rt: CliRuntime; lines: string[] } {
  const lines: string[] = [];
  const rt: CliRuntime = {
    json: false,
    verbose: false,
    quiet: false,
    color: false,
    interactive: false,
    signal: new AbortController().signal,
    print: () => {},
    printJson: () => {},
    info: (t) => lines.push(t),
    ...over,
  };
  return { rt, lines };
}

describe("ProgressDisplay off a terminal", () => {
  it("prints one plain line per finished step, none for running ones", () => {
    const { rt, lines } = runtime();
    const d = new ProgressDisplay(rt, "building");
    d.set("a", "[1/2] RUN make", "running");
    d.set("a", "[1/2] RUN make", "done", "1.2s");
    d.set("b", "[2/2] COPY . .", "cached", "cached");
    d.set("c", "[3/3] RUN false", "failed", "failed");
    d.finish();
    expect(lines).toEqual([
      "building",
      "✓ [1/2] RUN make  1.2s",
      "= [2/2] COPY . .  cached",
      "✗ [3/3] RUN false  failed",
    ]);
  });

  it("draws steps cut short by Ctrl-C as interrupted, not as done or still running", () => {
    const abort = new AbortController();
    const { rt, lines } = runtime({ signal: abort.signal });
    const d = new ProgressDisplay(rt, "lab");
    d.set("a", "single: build", "running");
    d.set("a", "single: build", "done", "3.0s");
    d.set("b", "multi: build", "running");
    d.set("c", "multi: verify", "running");
    abort.abort();
    // The build returns after the abort as if it had finished; the verify never returns.
    d.set("b", "multi: build", "done", "0.4s");
    d.finish();
    expect(lines[0]).toBe("lab");
    expect(lines[1]).toBe("✓ single: build  3.0s");
    expect(lines[2]).toMatch(/^⊘ multi: build {2}interrupted after \d+ms$/);
    expect(lines[3]).toMatch(/^⊘ multi: verify {2}interrupted after \d+ms$/);
    expect(lines.join("\n")).not.toMatch(/✓ multi/);
  });

  it("stays silent with --json and --quiet", () => {
    for (const over of [{ json: true }, { quiet: true }]) {
      const { rt, lines } = runtime(over);
      const d = new ProgressDisplay(rt, "title");
      d.set("a", "step", "done");
      d.note("note");
      d.finish();
      expect(lines).toEqual([]);
    }
  });
});

describe("formatting", () => {
  it("formats durations and sizes", () => {
    expect(formatMs(950)).toBe("950ms");
    expect(formatMs(1500)).toBe("1.5s");
    expect(formatMs(125_000)).toBe("2m5s");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(22_400_000)).toBe("22.4 MB");
  });
});

describe("PhaseClock", () => {
  it("counts phases against the plan and estimates the time left from the finished ones", () => {
    let t = 1_000;
    const clock = new PhaseClock(4, () => t);
    expect(clock.line()).toBe("phase 1/4 · 0ms elapsed · time left known after the first phase");
    clock.start();
    t += 10_000;
    clock.finish();
    clock.start();
    expect(clock.line()).toBe("phase 2/4 · 10.0s elapsed · about 30.0s left");
    t += 30_000;
    clock.finish();
    clock.start();
    expect(clock.line()).toBe("phase 3/4 · 40.0s elapsed · about 40.0s left");
  });

  it("grows the plan when more phases start than planned, and says done at the end", () => {
    let t = 0;
    const clock = new PhaseClock(1, () => t);
    clock.start();
    t = 2_000;
    clock.finish();
    expect(clock.line()).toBe("phase 1/1 · 2.0s elapsed · done");
    clock.start();
    expect(clock.line()).toBe("phase 2/2 · 2.0s elapsed · about 2.0s left");
    clock.plan(2);
    expect(clock.line()).toBe("phase 2/4 · 2.0s elapsed · about 6.0s left");
  });
});
