import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runSetupScript, SETUP_SCRIPT } from "./setup.js";

const run = promisify(execFile);

async function asNobody(): Promise<{ code: number; stderr: string }> {
  // As root, drop to nobody; as anyone else, we are already not root.
  const argv =
    process.getuid?.() === 0
      ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "bash", SETUP_SCRIPT]
      : ["bash", SETUP_SCRIPT];
  try {
    const { stderr } = await run(argv[0] ?? "bash", argv.slice(1));
    return { code: 0, stderr };
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, stderr: err.stderr };
  }
}

describe("engine set-up", () => {
  it("is idempotent: with the engine installed and running it changes nothing and says so", async () => {
    const lines: string[] = [];
    const r = await runSetupScript({ onLine: (l) => lines.push(l) });
    expect(r.code).toBe(0);
    expect(lines.join("\n")).toContain("already installed");
    expect(lines.join("\n")).toContain("dockerd already running");
  });

  it("refuses politely when not root (exit 3, nothing changed)", async () => {
    const r = await asNobody();
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("needs root");
    expect(r.stderr).toContain("DOCKER_HOST");
  });
});
