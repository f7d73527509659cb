// connectEngine() and EngineConnection stay internal: they carry dockerode's types.

export {
  type BuildOptions,
  type BuildProgressEvent,
  type BuildResult,
  type BuildStep,
  BuildStepError,
  buildImage,
} from "./build/build.js";
export {
  type BuildKitClient,
  type ClientExamination,
  examineDockerClients,
  findBuildKitClient,
} from "./build/client.js";
export {
  type BuildVariant,
  type BuildVariantsOptions,
  buildVariants,
  parseVariantSpec,
  type VariantBuildResult,
} from "./build/variants.js";
export {
  DEFAULT_STRATEGIES,
  type Discovery,
  type DiscoveryHost,
  type DiscoveryStrategy,
  discoverEngines,
  type EngineCandidate,
  type EngineEndpoint,
  parseEngineAddress,
  type StrategyReport,
} from "./discovery.js";
