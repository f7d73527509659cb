// connectEngine() and EngineConnection stay internal: they carry dockerode's types.
export {
  type BuildKitClient,
  type ClientExamination,
  examineDockerClients,
  findBuildKitClient,
} from "./build-client.js";
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
