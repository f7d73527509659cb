/** Public API of optimize: detection, planning, rewriting, and the verified optimize run. */

export { type ExistingDockerfile, readExistingDockerfile } from "./detect/existing.js";
export { type DetectOptions, detectProject } from "./detect/project.js";
export {
  type OptimizeOptions,
  type OptimizeProgressEvent,
  type OptimizeResult,
  optimizeProject,
  type TierAttempt,
  type WrittenFile,
} from "./optimize.js";
export type * from "./project.js";
export { type RewriteResult, rewriteDockerfile } from "./rewrite.js";
export { planFiles } from "./templates/index.js";
export type { Decision, PlannedFiles, TemplateOptions, Tier } from "./templates/text.js";
