/** Public API of minify: the traced runtime closure of an image, as a verified multi-stage Dockerfile. */

export type { AuditGroup, AuditOwnerKind, AuditReasonGroup, RemovalAudit } from "./audit.js";
export { type Closure, type ClosureInput, computeClosure, type KeepReason, type KeepWhy } from "./closure.js";
export { type EmitInput, emitDockerfile } from "./emit.js";
export {
  MINIFY_LEVELS,
  type MinifyLevel,
  type MinifyOptions,
  type MinifyPhase,
  type MinifyProgressEvent,
  type MinifyResult,
  minifyImage,
} from "./minify.js";
export { parseTrace, type TraceSummary } from "./trace-parse.js";
