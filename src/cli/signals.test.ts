/**
 * The process answers SIGTERM at once during a long lint (issue #16,
 * finding 1: it used to wait for the end, minutes, with its event loop
 * blocked). Linux: /proc/PID/status tells whether SIGTERM has a handler;
 * the test sends the signal once main's handler has come (main started) and
 * gone again (the lint computation runs with the default action).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const TSX = import.meta.resolve("tsx");
const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "slimstage-signals-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** True when the process has a handler for SIGTERM (bit 15 of SigCgt). */
function catchesTerm(pid: number): boolean | undefined {
  try {
    const m = /SigCgt:\s*([0-9a-f]+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? (BigInt(`0x${m[1]}`) & (1n << 14n)) !== 0n : undefined;
  } catch {
    return undefined;
  }
}

describe("signals during a long lint", () => {
  it("SIGTERM ends the process within a second", async () => {
    const lines = ["FROM debian:bookworm-slim AS s0"];
    for (let i = 1; i < 1500; i++)
      lines.push(
        `FROM s${i - 1} AS s${i}`,
        `RUN apt-get install -y p${i} && pip install x${i}`,
        `COPY --from=s${i - 1} /a /b${i}`,
      );
    const file = join(dir, "Dockerfile");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const child = spawn(process.execPath, ["--import", TSX, MAIN, "lint", file, "--json"], {
      env: { ...process.env, SLIMSTAGE_MAIN: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((r) =>
      child.on("exit", (code, signal) => r({ code, signal, at: Date.now() })),
    );
    const pid = child.pid as number;
    let sawHandler = false;
    for (;;) {
      const c = catchesTerm(pid);
      if (c === undefined) break; // gone already: fails below
      if (c) sawHandler = true;
      else if (sawHandler) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const sent = Date.now();
    child.kill("SIGTERM");
    const end = await exited;
    expect(sawHandler).toBe(true);
    expect(end.signal).toBe("SIGTERM");
    expect(end.at - sent).toBeLessThan(1000);
  }, 120_000);
});
