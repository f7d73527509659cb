import { execFile } from "node:child_process";
import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The failure only shows in a process with nothing else to wait on, so each case runs in a child.
let server: Server;
let url: string;
beforeAll(async () => {
  // Accepts and closes without answering, as docker-proxy does before the app listens.
  server = createServer((socket) => socket.end());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const addr = server.address();
  url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

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
  it("lets the timeout settle a request the server closed without answering", async () => {
    expect(await child("fetchAlive")).toEqual({ code: 0, stdout: "TimeoutError" });
  });

  it("is needed: plain fetch leaves the process nothing to wait on (exit 13, nothing printed)", async () => {
    expect(await child("fetch")).toEqual({ code: 13, stdout: "" });
  });
});
