import { instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

/** Build arguments BuildKit defines for every build. */
const AUTOMATIC = new Set([
  "BUILDPLATFORM",
  "BUILDOS",
  "BUILDARCH",
  "BUILDVARIANT",
  "TARGETPLATFORM",
  "TARGETOS",
  "TARGETARCH",
  "TARGETVARIANT",
  "TARGETSTAGE",
  "BUILDKIT_SBOM_SCAN_STAGE",
]);

export default defineRule({
  meta: {
    id: "SS433",
    slug: "undefined-arg-in-from",
    severity: "warning",
    category: "correctness",
    description: "FROM uses a variable that no ARG before the first FROM declares.",
    rationale:
      "Only global ARGs (before the first FROM) and BuildKit's automatic platform args reach FROM; any other variable expands to the empty string and the image reference breaks (`python:` or `:3.12`).",
    fix: "Declare it before the first FROM: `ARG PYTHON_VERSION=3.12`.",
    buildkit: "UndefinedArgInFrom",
    stages: "all",
    stagesNote: "Fires on every FROM.",
    bad: "FROM python:$PYTHON_VERSION-slim",
    good: "ARG PYTHON_VERSION=3.12\nFROM python:$PYTHON_VERSION-slim",
  },
  check(ctx) {
    const declared = new Set(ctx.df.globalArgs.flatMap((a) => a.decls.map((d) => d.name)));
    for (const { ins } of instructionsOf(ctx.df, "FROM")) {
      const text = `${ins.image} ${ins.platform ?? ""}`;
      for (const [, name] of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
        if (name === undefined || declared.has(name) || AUTOMATIC.has(name)) continue;
        ctx.report({ node: ins, message: `FROM uses $${name}, which no ARG before the first FROM declares` });
      }
    }
  },
});
