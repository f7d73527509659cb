import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { VariantRun } from "./lab-result.js";
import { loadLab } from "./load-lab.js";
import { packageRoot } from "./paths.js";
import { optimizeDir, sizedVariants } from "./run-optimized.js";

const EXAMPLES = join(packageRoot(), "examples");

function run(name: string, dockerfile: string, sizeBytes: number | undefined, works: boolean): VariantRun {
  return {
    name,
    dockerfile,
    expect: "works",
    ...(sizeBytes !== undefined ? { facts: { sizeBytes } as VariantRun["facts"] & object } : {}),
    outcome: { status: works ? "works" : "build-failed", asExpected: works, summary: "" },
  };
}

describe("what optimize runs on, and how the claims see the lab's variants", () => {
  it("optimizes lab-001's app/ and the other labs' own directory", async () => {
    expect(optimizeDir(await loadLab(join(EXAMPLES, "lab-001")))).toBe(join(EXAMPLES, "lab-001", "app"));
    expect(optimizeDir(await loadLab(join(EXAMPLES, "lab-000")))).toBe(join(EXAMPLES, "lab-000"));
  });

  it("tells multi-stage Dockerfiles from the parsed stages, and keeps sizes and whether each works", async () => {
    const lab = await loadLab(join(EXAMPLES, "lab-000"));
    const sized = await sizedVariants(lab, [
      run("single", "Dockerfile.single", 100, true),
      run("multi", "Dockerfile.multi", undefined, false),
    ]);
    expect(sized).toEqual([
      { name: "single", sizeBytes: 100, works: true, multiStage: false },
      { name: "multi", works: false, multiStage: true },
    ]);
  });
});
