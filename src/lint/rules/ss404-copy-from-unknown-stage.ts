import { located, resolveStageRef } from "../facts.js";
import { defineRule } from "../rule.js";

/** Official images commonly copied from with a bare name. */
const OFFICIAL_IMAGES = new Set([
  "alpine",
  "busybox",
  "debian",
  "ubuntu",
  "node",
  "python",
  "golang",
  "rust",
  "nginx",
  "httpd",
  "redis",
  "postgres",
  "docker",
  "composer",
  "caddy",
  "traefik",
  "tini",
]);

export default defineRule({
  meta: {
    id: "SS404",
    slug: "copy-from-unknown-stage",
    severity: "error",
    category: "correctness",
    description: "`COPY --from=<name>` that names no earlier stage and does not look like an image.",
    rationale:
      "A bare name that is not a stage is pulled as an image: usually a typo or a stage defined later, and the build fails or copies from the wrong place.",
    fix: "Name a stage defined above (`FROM ... AS name`), or write a full image reference with a tag.",
    hadolint: "DL3022",
    stages: "all",
    stagesNote: "Fires in every stage.",
    bad: "COPY --from=buidler /app /app",
    good: "COPY --from=builder /app /app",
  },
  check(ctx) {
    for (const { ins, stage } of located(ctx.df)) {
      if (ins.keyword !== "COPY" || ins.from === undefined) continue;
      const ref = ins.from;
      if (ref.includes("$") || /[:/@.]/.test(ref)) continue;
      // A bare official image name (`--from=busybox`) is an image, not a misspelt stage: SS320 judges its pinning.
      if (OFFICIAL_IMAGES.has(ref.toLowerCase())) continue;
      if (resolveStageRef(ctx.df, ctx.graph, ref, stage) !== undefined) continue;
      if (ctx.df.stages[stage]?.name?.toLowerCase() === ref.toLowerCase()) continue; // SS405's finding
      ctx.report({ node: ins, stage, message: `--from=${ref} names no earlier stage` });
    }
  },
});
