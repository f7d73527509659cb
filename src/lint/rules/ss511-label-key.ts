import { located } from "../facts.js";
import { defineRule } from "../rule.js";

const RESERVED = /^(com\.docker\.|io\.docker\.|org\.dockerproject\.)/;
const VALID = /^[a-z]([a-z0-9]|[.-](?=[a-z0-9]))*$/i;

export default defineRule({
  meta: {
    id: "SS511",
    slug: "label-key",
    severity: "warning",
    category: "maintainability",
    description: "A LABEL key that is invalid or in Docker's reserved namespaces.",
    rationale:
      "Label keys should start with a letter and hold lower-case alphanumerics with single dots and dashes (reverse-DNS); com.docker.*, io.docker.* and org.dockerproject.* belong to Docker.",
    fix: "Use a reverse-DNS key of your own, e.g. `org.opencontainers.image.source` or `com.example.team`.",
    hadolint: "DL3048",
    stages: "all",
    stagesNote: "Fires in every stage.",
    bad: 'LABEL com.docker.version="1"',
    good: 'LABEL org.opencontainers.image.version="1"',
  },
  check(ctx) {
    for (const { ins, stage } of located(ctx.df)) {
      if (ins.keyword !== "LABEL") continue;
      for (const p of ins.pairs) {
        const key = p.key.replace(/^["']|["']$/g, "");
        if (RESERVED.test(key))
          ctx.report({
            node: { range: p.range },
            stage,
            message: `label ${key} is in a namespace reserved for Docker`,
          });
        else if (!VALID.test(key))
          ctx.report({ node: { range: p.range }, stage, message: `label key "${key}" is not a valid key` });
      }
    }
  },
});
