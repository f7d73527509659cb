/** The proof fixture apps (testdata/proof-apps): one pip layer, one image per candidate stage. */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { startPackageIndex } from "../../bases/package-index.js";
import { buildImage } from "../../engine/build/build.js";

export const PROOF_DIR = fileURLToPath(new URL("./proof-apps/", import.meta.url));
export type ProofStage = "original" | "same" | "broken" | "lost-asset" | "readonly-media";

/**
 * Builds the stages (BuildKit's cache makes the later ones a layer each);
 * tags are random so parallel runs never share them. Everything carries `labels`.
 */
export async function buildProofImages(
  labels: Record<string, string>,
  stages: readonly ProofStage[] = ["original", "same", "broken", "lost-asset", "readonly-media"],
): Promise<Record<ProofStage, string>> {
  const run = randomBytes(3).toString("hex");
  const out = {} as Record<ProofStage, string>;
  const index = await startPackageIndex();
  try {
    for (const stage of stages) {
      const tag = `slimstage-test/proof-${stage}:${run}`;
      await buildImage({ context: PROOF_DIR, target: stage, tags: [tag], labels, ...index.reach });
      out[stage] = tag;
    }
  } finally {
    await index.close();
  }
  return out;
}
