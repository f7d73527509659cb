/** Public API of the Dockerfile frontend (re-exported by src/index.ts). */

export { dumpBuildkit } from "./buildkit-dump.js";
export { expand, expandWord, platformArgs } from "./expand.js";
export { parseFromReference } from "./image-ref.js";
export { parseMount } from "./instructions.js";
export type * from "./model.js";
export { dockerfileFromNodes, parseDockerfile, parseInstruction } from "./parser.js";
export { printDockerfile, printInstruction } from "./printer.js";
export { buildStageGraph } from "./stage-graph.js";
