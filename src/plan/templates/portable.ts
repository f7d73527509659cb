import type { Instruction, Node } from "../../dockerfile/model.js";
import { dockerfileFromNodes, parseDockerfile, parseInstruction } from "../../dockerfile/parser.js";
import { printDockerfile, printInstruction } from "../../dockerfile/printer.js";
import { NEEDS_BUILDKIT, type PlannedFiles } from "./text.js";

const ANY_BUILDER =
  "No cache mounts (--no-cache-mounts): any builder takes it (docker build ., docker-compose 1.x).";

/**
 * The plan without BuildKit cache mounts, for builders without BuildKit (the
 * classic builder, which docker uses when buildx is missing, and docker-compose
 * 1.x): in each RUN that has them, the parser names their flags and they are
 * taken out (with apt's docker-clean removal, which only they need: it keeps
 * downloaded packages for the cache).
 */
export function withoutCacheMounts(plan: PlannedFiles): PlannedFiles {
  const df = parseDockerfile(plan.dockerfile, { file: "generated Dockerfile", shell: false });
  const nodes = df.nodes.map((n): Node => (n.kind === "instruction" ? withoutMounts(n) : n));
  return {
    ...plan,
    dockerfile: printDockerfile(dockerfileFromNodes(nodes, { file: "Dockerfile" })).replace(
      NEEDS_BUILDKIT,
      ANY_BUILDER,
    ),
    decisions: [
      ...plan.decisions,
      {
        topic: "builder",
        text: "no BuildKit cache mounts (--no-cache-mounts): the classic builder and docker-compose 1.x build this file; a rebuild downloads the dependencies again when the lockfile changes",
      },
    ],
  };
}

/** A RUN without its cache mounts: their flags as the parser found them taken out of its text, the layout kept. */
function withoutMounts(ins: Instruction): Instruction {
  if (ins.keyword !== "RUN" || !ins.mounts.some((m) => m.type === "cache")) return ins;
  let text = printInstruction(ins);
  for (const m of ins.mounts) if (m.type === "cache") text = text.replace(m.flag.raw, "");
  text = text
    .replace(/^RUN\s+(?:\\\r?\n\s*)?/, "RUN ")
    .replace(/rm -f \/etc\/apt\/apt\.conf\.d\/docker-clean && (?:\\\r?\n\s*)?/, "");
  return parseInstruction(text);
}
