import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InterruptedError } from "../errors.js";
import { loadLab } from "./load-lab.js";
import { runLab } from "./run-lab.js";

describe("runLab and Ctrl-C", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "slimstage-lab-abort-"));
    writeFileSync(join(dir, "Dockerfile"), "FROM scratch\nCOPY lab.yaml /\n");
    writeFileSync(
      join(dir, "lab.yaml"),
      "name: abort\ntitle: t\nprobe: { http: { port: 80, path: / } }\nvariants:\n  - { name: a, dockerfile: Dockerfile, expect: works }\nclaims:\n  - { id: w, text: works, measure: { kind: works, variant: a } }\n",
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("stops before building anything when the signal has fired, and says so", async () => {
    const lab = await loadLab(dir);
    const ac = new AbortController();
    ac.abort("SIGINT");
    const events: string[] = [];
    await expect(
      runLab(lab, { signal: ac.signal, onProgress: (e) => events.push(e.type) }),
    ).rejects.toBeInstanceOf(InterruptedError);
    expect(events).toEqual(["lab-start"]);
  });
});
