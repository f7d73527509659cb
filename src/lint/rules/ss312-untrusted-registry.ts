import { parseFromReference } from "../../dockerfile/image-ref.js";
import { buildsOnStage, instructionsOf, located, resolveStageRef } from "../facts.js";
import { defineRule } from "../rule.js";

function registryOf(image: string): string {
  const ref = parseFromReference(image);
  return (ref.registry ?? "docker.io").toLowerCase();
}

function trusted(registry: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => {
    const pat = p.toLowerCase();
    if (pat === "*") return true;
    if (pat.startsWith("*.")) return registry.endsWith(pat.slice(1));
    if (
      pat === "docker.io" &&
      (registry === "docker.io" || registry === "index.docker.io" || registry === "registry-1.docker.io")
    )
      return true;
    return registry === pat;
  });
}

export default defineRule({
  meta: {
    id: "SS312",
    slug: "untrusted-registry",
    severity: "error",
    category: "security",
    description: "An image from a registry outside the configured `trustedRegistries`.",
    rationale:
      "Organisations allow images only from registries they vet; an image from elsewhere bypasses that review.",
    fix: "Mirror the image into a trusted registry, or add the registry to `trustedRegistries` in the config.",
    hadolint: "DL3026",
    stages: "all",
    stagesNote:
      "Checks FROM, COPY --from and RUN --mount from= images in every stage. Silent when no trustedRegistries are configured.",
    bad: "FROM random.example/debian:12   # trustedRegistries: [docker.io]",
    good: "FROM docker.io/library/debian:12",
  },
  check(ctx) {
    const allow = ctx.policy.trustedRegistries;
    if (allow.length === 0) return;
    for (const { ins, stage } of instructionsOf(ctx.df, "FROM")) {
      if (buildsOnStage(ctx.graph, stage) || ins.imageRef.scratch || ins.imageRef.hasVariables) continue;
      const reg = registryOf(ins.image);
      if (!trusted(reg, allow))
        ctx.report({ node: ins, message: `${ins.image} comes from ${reg}, which is not a trusted registry` });
    }
    for (const { ins, stage } of located(ctx.df)) {
      const refs: string[] = [];
      if (ins.keyword === "COPY" && ins.from !== undefined) refs.push(ins.from);
      if (ins.keyword === "RUN") for (const m of ins.mounts) if (m.from !== undefined) refs.push(m.from);
      for (const r of refs) {
        if (r.includes("$") || resolveStageRef(ctx.df, ctx.graph, r, stage) !== undefined || /^\d+$/.test(r))
          continue;
        const reg = registryOf(r);
        if (!trusted(reg, allow))
          ctx.report({
            node: ins,
            stage,
            message: `${r} comes from ${reg}, which is not a trusted registry`,
          });
      }
    }
  },
});
