import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** What a finished `slimstage` subprocess left behind. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Working directory of the subprocess (default: the test's own cwd). */
  cwd?: string;
  /** Added to (and overriding) the test process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Written to the subprocess's stdin, which is then closed. */
  input?: string;
  /** Extra node options before the loader (e.g. `--import` of a probe). */
  nodeArgs?: readonly string[];
  /** Close the reading end of stdout at once, as `| head -0` does. */
  closeStdout?: boolean;
}

// Absolute paths so the CLI runs the same from any working directory.
const TSX_LOADER = import.meta.resolve("tsx");
const MAIN = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));

/**
 * Runs the CLI from source (node + tsx) as a subprocess and collects its exit
 * code and output; a non-zero exit is a result, not an error.
 */
export function runCli(args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), "--import", TSX_LOADER, MAIN, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, SLIMSTAGE_MAIN: "1", ...opts.env },
      stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    if (opts.closeStdout) child.stdout?.destroy();
  });
}
