import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../errors.js";
import { loadProbesFile } from "./probes-file.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-probes-file-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, text);
  return p;
}

describe("probes file", () => {
  it("reads http (with a JSON body, a body file, headers), tcp and command probes", async () => {
    await file("note.txt", "plain text body");
    const p = await file(
      "probes.yaml",
      `probes:
  - http: { port: 8000, path: /notes, send: { json: { text: hi } }, status: 200, contentType: application/json, json: { length: 2 } }
  - http:
      port: 8000
      path: /upload
      method: put
      headers: { X-Token: abc }
      send: { file: note.txt }
      timeout: 12
  - tcp: { port: 6379 }
`,
    );
    const { probes } = await loadProbesFile(p);
    expect(probes).toEqual([
      {
        kind: "http",
        port: 8000,
        path: "/notes",
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"text":"hi"}',
        expectStatus: 200,
        expectContentType: "application/json",
        expectJson: [{ path: "length", value: "2" }],
      },
      {
        kind: "http",
        port: 8000,
        path: "/upload",
        method: "PUT",
        headers: { "x-token": "abc" },
        body: "plain text body",
        requestTimeoutMs: 12_000,
      },
      { kind: "tcp", port: 6379 },
    ]);
  });

  it("names the file, line and key of a mistake", async () => {
    const p = await file(
      "bad.yaml",
      "probes:\n  - http:\n      port: 8000\n      path: /\n      stauts: 200\n",
    );
    const e = await loadProbesFile(p).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(/bad\.yaml:3:\d+: \/probes\/0\/http: unknown key "stauts"/);
    const two = await file("two.yaml", "probes:\n  - http: { port: 1, path: / }\n    tcp: { port: 1 }\n");
    await expect(loadProbesFile(two)).rejects.toThrow(
      /a probe is one of http, tcp or command, not http and tcp/,
    );
    await expect(loadProbesFile(join(dir, "missing.yaml"))).rejects.toThrow(/ENOENT/);
  });
});
