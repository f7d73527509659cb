import { NEEDS_BUILDKIT, type PlannedFiles } from "./text.js";

const ANY_BUILDER =
  "No cache mounts (--no-cache-mounts): any builder takes it, docker build . as docker-compose 1.x.";

/**
 * The plan without BuildKit cache mounts, for builders without BuildKit (the
 * classic builder, which docker uses when buildx is missing, and docker-compose
 * 1.x). The templates write each mount in one form (`--mount=type=cache,...`
 * right after `RUN `, and apt's docker-clean removal that only cache mounts
 * need), so they come out by that form; templates.test.ts checks the result
 * with the parser (no RUN keeps a mount) and optimize.engine.test.ts builds it
 * with the classic builder.
 */
export function withoutCacheMounts(plan: PlannedFiles): PlannedFiles {
  const dockerfile = plan.dockerfile
    .replace(/--mount=type=cache,\S+\s+(\\\n\s*)?/g, "")
    .replace(/rm -f \/etc\/apt\/apt\.conf\.d\/docker-clean && /g, "")
    .replace(NEEDS_BUILDKIT, ANY_BUILDER);
  return {
    ...plan,
    dockerfile,
    decisions: [
      ...plan.decisions,
      {
        topic: "builder",
        text: "no BuildKit cache mounts (--no-cache-mounts): the classic builder and docker-compose 1.x build this file; a rebuild downloads the dependencies again when the lockfile changes",
      },
    ],
  };
}
