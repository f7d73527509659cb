import { fileURLToPath } from "node:url";
import { runCli } from "../engine/build/client.js";
import { EngineError } from "../errors.js";

/** scripts/setup-engine.sh, found from src/engine/ and from dist/engine/ alike. */
export const SETUP_SCRIPT = fileURLToPath(new URL("../../scripts/setup-engine.sh", import.meta.url));

export interface SetupResult {
  readonly code: number;
  readonly script: string;
  /** The steps the script printed. */
  readonly lines: readonly string[];
}

/**
 * Runs the engine set-up script (install docker.io if missing, start dockerd,
 * wait until it answers). The script is the one truth: scripts/test.sh and
 * scripts/demo.sh run it too.
 */
export async function runSetupScript(
  opts: { signal?: AbortSignal; onLine?: (line: string) => void } = {},
): Promise<SetupResult> {
  const lines: string[] = [];
  let pending = "";
  const res = await runCli("bash", [SETUP_SCRIPT], {
    ...(opts.signal ? { signal: opts.signal } : {}),
    onStderr: (chunk) => {
      pending += chunk;
      const parts = pending.split("\n");
      pending = parts.pop() ?? "";
      for (const l of parts) {
        lines.push(l);
        opts.onLine?.(l);
      }
    },
  }).catch((cause: unknown) => {
    throw new EngineError(`could not run ${SETUP_SCRIPT}`, { cause, hint: "bash must be installed" });
  });
  if (pending) {
    lines.push(pending);
    opts.onLine?.(pending);
  }
  return { code: res.code, script: SETUP_SCRIPT, lines };
}
