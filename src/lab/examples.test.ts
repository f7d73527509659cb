/**
 * The TypeScript example's own tests (node:test), run from source with tsx:
 * they need no npm install of the example (they do not touch the Redis client).
 * The Python examples' tests run inside their images' builders (lab-001's
 * Dockerfile.prod runs pytest), so `slimstage lab` exercises those.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "./paths.js";

const EXAMPLE = join(packageRoot(), "examples", "hit-counter-ts");

describe("examples/hit-counter-ts tests", () => {
  it("pass: the counter goes up 1, 2, 3, /health, 404/405, 503 on a failing store", () => {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "--test", join(EXAMPLE, "test", "app.test.ts")],
      {
        cwd: EXAMPLE,
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/# pass 4/);
    expect(r.stdout).toMatch(/# fail 0/);
  });
});
