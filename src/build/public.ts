export {
  type BuildOptions,
  type BuildProgressEvent,
  type BuildResult,
  type BuildStep,
  BuildStepError,
  buildImage,
} from "../engine/build.js";
export {
  type BuildVariant,
  type BuildVariantsOptions,
  buildVariants,
  parseVariantSpec,
  type VariantBuildResult,
} from "./variants.js";
