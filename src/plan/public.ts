/** Public API of optimize: detection, planning, rewriting, and the verified optimize run. */
export { detectProject, type DetectOptions } from "./detect/project.js";
export { readExistingDockerfile, type ExistingDockerfile } from "./detect/existing.js";
export {
  optimizeProject,
  type OptimizeOptions,
  type OptimizeProgressEvent,
  type OptimizeResult,
  type TierAttempt,
  type WrittenFile,
} from "./optimize.js";
export type * from "./project.js";
export { rewriteDockerfile, type RewriteResult } from "./rewrite.js";
export { planFiles } from "./templates/index.js";
export type { Decision, PlannedFiles, TemplateOptions, Tier } from "./templates/text.js";
