export {
  type BuildKitClient,
  type ClientExamination,
  examineDockerClients,
  findBuildKitClient,
} from "./build-client.js";
export { type ConnectOptions, connectEngine, type EngineConnection } from "./connect.js";
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
export { type DoctorOptions, type DoctorReport, runDoctor } from "./doctor.js";
