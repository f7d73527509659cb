import { describe, expect, it } from "vitest";
import { EngineError, InterruptedError } from "../errors.js";
import type { LabProgressEvent } from "./events.js";
import { runPhase } from "./phase.js";

const at = { lab: "lab-x", variant: "v" };

function recorder() {
  const events: LabProgressEvent[] = [];
  return { events, emit: (e: LabProgressEvent) => events.push(e) };
}

describe("runPhase", () => {
  it("reports the start and the end with the verdict and detail made from the value", async () => {
    const { events, emit } = recorder();
    const r = await runPhase(
      {
        emit,
        at,
        phase: "lint",
        detail: "Dockerfile",
        done: (o) => ({ ok: o.ok, detail: o.ok ? `${o.value} findings` : "" }),
      },
      async () => 3,
    );
    expect(r.outcome).toEqual({ ok: true, value: 3 });
    expect(events.map((e) => e.type)).toEqual(["phase-start", "phase-done"]);
    expect(events[0]).toEqual({ type: "phase-start", ...at, phase: "lint", detail: "Dockerfile" });
    expect(events[1]).toMatchObject({
      type: "phase-done",
      ...at,
      phase: "lint",
      ok: true,
      detail: "3 findings",
    });
    expect((events[1] as { durationMs: number }).durationMs).toBe(r.durationMs);
  });

  it("turns a failure into the phase's outcome and reports it", async () => {
    const { events, emit } = recorder();
    const r = await runPhase(
      {
        emit,
        at,
        phase: "analyze",
        done: (o) => ({ ok: o.ok, detail: o.ok ? "" : `no: ${o.error.message}` }),
      },
      async () => {
        throw new Error("bad layer");
      },
    );
    expect(r.outcome.ok).toBe(false);
    expect(events[1]).toMatchObject({ type: "phase-done", ok: false, detail: "no: bad layer" });
  });

  it("rethrows an interruption, a lost engine and what failsWith does not claim, with no phase-done", async () => {
    for (const [error, failsWith] of [
      [new InterruptedError(), undefined],
      [new EngineError("engine gone"), undefined],
      [new Error("other"), (e: unknown) => e instanceof TypeError],
    ] as const) {
      const { events, emit } = recorder();
      await expect(
        runPhase(
          {
            emit,
            at,
            phase: "build",
            done: () => ({ ok: false, detail: "" }),
            ...(failsWith ? { failsWith } : {}),
          },
          async () => {
            throw error;
          },
        ),
      ).rejects.toBe(error);
      expect(events.map((e) => e.type)).toEqual(["phase-start"]);
    }
  });
});
