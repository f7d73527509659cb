/** Shared by the build/verify engine tests: labels, the fixture app image, leftovers. */
import { fileURLToPath } from "node:url";
import { startPackageIndex } from "../../bases/package-index.js";
import { buildImage } from "../../engine/build/build.js";
import { countByLabel, type LabelCounts, removeByLabel } from "../../engine/cleanup.js";
import { connectEngine } from "../../engine/connect.js";

/** Everything the build/verify tests create carries this label. */
export const TEST_LABELS = { "org.slimstage.test": "build-verify" } as const;
export const FLASK_DIR = fileURLToPath(new URL("./flask-counter/", import.meta.url));
export const FLASK_TAG = "slimstage-test/flask-counter:build-verify";
/** The base the small build tests start from (a local stand-in under the official name). */
export const BASE = process.env.SLIMSTAGE_TEST_BASE ?? "debian:bookworm-slim";

let flask: Promise<string> | undefined;

/** Builds the Flask + Redis counter fixture once per test file (BuildKit's cache makes repeats cheap). */
export function flaskCounterImage(): Promise<string> {
  flask ??= (async () => {
    const index = await startPackageIndex();
    try {
      await buildImage({ context: FLASK_DIR, tags: [FLASK_TAG], labels: { ...TEST_LABELS }, ...index.reach });
      return FLASK_TAG;
    } finally {
      await index.close();
    }
  })();
  return flask;
}

export async function leftovers(): Promise<Pick<LabelCounts, "containers" | "networks">> {
  const c = await countByLabel(await connectEngine(), TEST_LABELS);
  return { containers: c.containers, networks: c.networks };
}

/** Removes what the tests made, images included (only ours: by the test label). */
export async function removeTestResources(): Promise<void> {
  flask = undefined;
  await removeByLabel(await connectEngine(), TEST_LABELS, { images: true });
}
