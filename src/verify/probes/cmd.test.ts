import { describe, expect, it } from "vitest";
import type { ExecResult } from "../../engine/containers.js";
import { splitCommand } from "./cmd.js";
import { type ProbeTarget, runProbe } from "./index.js";

/** A container whose exec answers from a script: no engine needed to check the verdicts. */
function target(answer: (cmd: string[]) => ExecResult, exited?: string): ProbeTarget & { runs: string[][] } {
  const runs: string[][] = [];
  return {
    host: "127.0.0.1",
    runs,
    exited: () => exited,
    exec: async (cmd) => {
      runs.push(cmd);
      return answer(cmd);
    },
  };
}

const opts = () => ({ deadline: Date.now() + 5_000 });

describe("cmd probes", () => {
  it("passes on the expected exit code and output, and says what it got otherwise", async () => {
    const t = target(() => ({ exitCode: 0, output: "Hello there\n" }));
    const ok = await runProbe(
      { kind: "cmd", command: "python -c 'print(1)'", expectOutput: "Hello" },
      t,
      opts(),
    );
    expect(ok).toMatchObject({ ok: true, detail: 'exit code 0, output "Hello there"', attempts: 1 });
    expect(t.runs).toEqual([["/bin/sh", "-c", "python -c 'print(1)'"]]);

    const wrong = await runProbe({ kind: "cmd", command: "true", expectOutput: "Bye" }, t, opts());
    expect(wrong).toMatchObject({ ok: false, expected: 'output containing "Bye"' });

    const code = await runProbe({ kind: "cmd", command: "false", expectExitCode: 3 }, t, opts());
    expect(code).toMatchObject({
      ok: false,
      expected: "exit code 3",
      got: 'exit code 0, output "Hello there"',
    });
  });

  it("runs the words directly in an image without a shell", async () => {
    const t = target((cmd) =>
      cmd[0] === "/bin/sh"
        ? { exitCode: 127, output: 'exec: "/bin/sh": executable file not found in $PATH' }
        : { exitCode: 0, output: "hi there" },
    );
    const r = await runProbe({ kind: "cmd", command: `python -c "print('hi there')"` }, t, opts());
    expect(r.ok).toBe(true);
    expect(t.runs[1]).toEqual(["python", "-c", "print('hi there')"]);
  });

  it("does not run in a container that has exited", async () => {
    const t = target(() => ({ exitCode: 0, output: "" }), "exited with code 1");
    const r = await runProbe({ kind: "cmd", command: "true" }, t, opts());
    expect(r).toMatchObject({ ok: false, detail: "exited with code 1", attempts: 0 });
    expect(t.runs).toEqual([]);
  });

  it("splits commands honouring quotes and backslashes", () => {
    expect(splitCommand(`python -c "import sys; print('hi there')" 'a b' c\\ d ""`)).toEqual([
      "python",
      "-c",
      "import sys; print('hi there')",
      "a b",
      "c d",
      "",
    ]);
  });
});
