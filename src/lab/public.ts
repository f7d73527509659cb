/** The lab loop: lab.yaml model and loader, the runner, verdicts, the result table. */

export type { LabProgressEvent } from "./events.js";
export { explainDifference } from "./explain.js";
export { type ImageFacts, imageFacts } from "./image-facts.js";
export type {
  ClaimKind,
  ClaimMeasure,
  Lab,
  LabClaim,
  LabConfig,
  LabExpectation,
  LabProbe,
  LabVariant,
} from "./lab-config.js";
export { formatLabMarkdown, formatLabTty, unexpectedResults } from "./lab-format.js";
export {
  type ClaimVerdict,
  LAB_RUN_SCHEMA_ID,
  type LabRun,
  type LabRunDocument,
  type MachineInfo,
  type VariantRun,
} from "./lab-result.js";
export { LAB_FILE, listLabDirs, loadLab, parseLab, resolveLabDirs } from "./load-lab.js";
export { machineInfo } from "./machine.js";
export { judgeOutcome } from "./outcome.js";
export { examplesDir, packageRoot } from "./paths.js";
export { type RunLabOptions, runLab } from "./run-lab.js";
export { judgeClaim, judgeClaims, parseThreshold } from "./verdicts.js";
