import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type BuildProgressEvent, BuildProgressParser, describeVertexName } from "./progress.js";

const fixture = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");

function parse(text: string) {
  const events: BuildProgressEvent[] = [];
  const p = new BuildProgressParser((e) => events.push(e));
  for (const line of text.split("\n")) p.push(line);
  return { p, events };
}

describe("BuildProgressParser", () => {
  it("turns a multi-stage build into steps with durations and the image id", () => {
    const { p, events } = parse(fixture("plain-progress-ok.txt"));
    const steps = p.steps.filter((s) => !s.internal);
    expect(steps.map((s) => s.name)).toEqual([
      "[base 1/2] COPY busybox /bin/busybox",
      '[base 2/2] RUN ["/bin/busybox", "--install", "-s", "/bin"]',
      "[builder 1/1] RUN echo building && sleep 1 && echo hello > /out.txt",
      "[stage-2 1/2] COPY --from=builder /out.txt /out.txt",
      "[stage-2 2/2] RUN echo final",
    ]);
    const sleepStep = steps[2];
    expect(sleepStep?.stage).toBe("builder");
    expect(sleepStep?.durationMs).toBeGreaterThanOrEqual(1000);
    expect(sleepStep?.output).toContain("building");
    expect(steps.every((s) => !s.cached)).toBe(true);
    expect(p.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(p.failedStep).toBeUndefined();
    expect(events.filter((e) => e.type === "step-done").length).toBe(p.steps.length);
  });

  it("reports cache hits", () => {
    const text = [
      "#4 [base 1/2] COPY busybox /bin/busybox",
      "#4 sha256:90d1ab79a0",
      "#4 CACHED",
      "",
      "#5 [2/2] RUN x",
      "#5 DONE 0.3s",
    ].join("\n");
    const { p, events } = parse(text);
    expect(p.steps[0]?.cached).toBe(true);
    expect(p.steps[1]?.cached).toBe(false);
    expect(p.steps[1]?.durationMs).toBe(300);
    expect(events.map((e) => e.type)).toEqual(["step-start", "step-cached", "step-start", "step-done"]);
  });

  it("finds the failing step, its output and the error", () => {
    const { p } = parse(fixture("plain-progress-fail.txt"));
    const f = p.failedStep;
    expect(f?.name).toBe('[3/4] RUN echo "some output" && echo "to stderr" >&2 && exit 3');
    expect(f?.error).toMatch(/exit code: 3/);
    expect(f?.output).toEqual(expect.arrayContaining(["some output", "to stderr"]));
    expect(f?.index).toBe(3);
    expect(f?.total).toBe(4);
    expect(p.steps.find((s) => s.name === "[2/4] RUN echo ok")?.error).toBeUndefined();
  });

  it("reads Dockerfile:N locations printed by newer BuildKit", () => {
    const text = [
      "#7 [2/2] RUN false",
      '#7 ERROR: process "/bin/sh -c false" did not complete successfully: exit code: 1',
      "------",
      " > [2/2] RUN false:",
      "------",
      "Dockerfile:2",
      "--------------------",
      "   1 |     FROM x",
      "   2 | >>> RUN false",
      "--------------------",
      'ERROR: failed to solve: process "/bin/sh -c false" did not complete successfully: exit code: 1',
    ].join("\n");
    const { p } = parse(text);
    expect(p.locations).toEqual([{ file: "Dockerfile", line: 2 }]);
    expect(p.finalError).toMatch(/^ERROR: failed to solve/);
  });

  it("keeps only the tail of very long step output", () => {
    const p = new BuildProgressParser();
    p.push("#3 [1/1] RUN seq 1000");
    for (let i = 1; i <= 1000; i++) p.push(`#3 0.${String(i).padStart(3, "0")} line ${i}`);
    const out = p.steps[0]?.output ?? [];
    expect(out.length).toBe(400);
    expect(out.at(-1)).toBe("line 1000");
  });

  it("splits vertex names", () => {
    expect(describeVertexName("[internal] load build definition from Dockerfile")).toEqual({
      internal: true,
    });
    expect(describeVertexName("exporting to image")).toEqual({ internal: true });
    expect(describeVertexName("[stage-1 3/5] COPY . .")).toEqual({
      stage: "stage-1",
      index: 3,
      total: 5,
      instruction: "COPY . .",
      internal: false,
    });
  });
});
