import { type ChildProcess, execFile, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The failure only shows in a process with nothing else to wait on, so each request runs in a child.
// The server runs in a child of its own too: it must close the connection before the client has
// sent its request (as docker-proxy does before the app listens), which a busy test worker would
// often do too late (then undici sees the close and rejects with a TypeError instead of hanging).
let server: ChildProcess;
let url: string;
beforeAll(async () => {
  server = spawn(
    process.execPath,
    [
      "-e",
      `const s = require("node:net").createServer((c) => c.end());
       s.listen(0, "127.0.0.1", () => console.log(s.address().port));`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const port = await new Promise<string>((resolve) =>
    server.stdout?.once("data", (d) => resolve(String(d).trim())),
  );
  url = `http://127.0.0.1:${port}/`;
});
afterAll(() => {
  server.kill();
});

const module = fileURLToPath(new URL("./fetch-alive.ts", import.meta.url));

function child(call: string): Promise<{ code: number; stdout: string }> {
  const script = `import { fetchAlive } from ${JSON.stringify(module)};
try { await ${call}(${JSON.stringify(url)}, { signal: AbortSignal.timeout(300) }); console.log("answered"); }
catch (e) { console.log(e.name); }`;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      { timeout: 20_000 },
      (err, stdout) => resolve({ code: (err as { code?: number } | null)?.code ?? 0, stdout: stdout.trim() }),
    );
  });
}

describe("fetchAlive", () => {
  it("settles a request the server closed without answering: the timeout, or undici's error", async () => {
    for (let i = 0; i < 3; i++) {
      const r = await child("fetchAlive");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^(TimeoutError|TypeError)$/);
    }
  });

  it("is needed: plain fetch leaves the process nothing to wait on (exit 13, nothing printed)", async () => {
    // Three tries: the close must beat the request, which an idle server does nearly always.
    const runs = [await child("fetch"), await child("fetch"), await child("fetch")];
    expect(runs).toContainEqual({ code: 13, stdout: "" });
  });
});
