import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InterruptedError } from "../errors.js";
import { withBasesLock } from "./build-lock.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-lock-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("withBasesLock", () => {
  it("runs one build at a time; the second says it waits, then runs", async () => {
    const events: string[] = [];
    const notes: string[] = [];
    const never = new AbortController().signal;
    const first = withBasesLock(
      dir,
      never,
      () => {},
      async () => {
        events.push("first start");
        await sleep(1500);
        events.push("first end");
      },
    );
    await sleep(200);
    const second = withBasesLock(
      dir,
      never,
      (l) => notes.push(l),
      async () => {
        events.push("second start");
      },
    );
    await Promise.all([first, second]);
    expect(events).toEqual(["first start", "first end", "second start"]);
    expect(notes.join("\n")).toContain("waiting");
  });

  it("a waiting build can be interrupted, and the lock is released after an error", async () => {
    const ac = new AbortController();
    const holder = withBasesLock(
      dir,
      new AbortController().signal,
      () => {},
      async () => {
        await sleep(1500);
        throw new Error("boom");
      },
    );
    await sleep(200);
    setTimeout(() => ac.abort("SIGINT"), 300);
    await expect(
      withBasesLock(
        dir,
        ac.signal,
        () => {},
        async () => "ran",
      ),
    ).rejects.toBeInstanceOf(InterruptedError);
    await expect(holder).rejects.toThrow("boom");
    expect(
      await withBasesLock(
        dir,
        new AbortController().signal,
        () => {},
        async () => "ran",
      ),
    ).toBe("ran");
  });
});
