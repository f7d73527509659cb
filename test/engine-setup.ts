import { execFileSync } from "node:child_process";

/**
 * Engine tests need a running engine. scripts/test.sh starts it (and builds
 * the local bases) before vitest; here we only fail loudly if it is not there,
 * so an engine test can never be silently skipped.
 */
export default function setup(): void {
  try {
    execFileSync("docker", ["info", "--format", "{{.ServerVersion}}"], { stdio: "pipe", timeout: 20_000 });
  } catch {
    throw new Error(
      "engine tests need a running Docker engine: run `bash scripts/test.sh` (it installs and starts one), or `bash scripts/setup-engine.sh`",
    );
  }
}
