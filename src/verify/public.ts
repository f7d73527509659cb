export {
  type ComposeFile,
  type ComposeSecret,
  type ComposeService,
  dependencyOrder,
  loadCompose,
  parseCompose,
} from "./compose.js";
export { describeProbe, parseJsonExpectation, parseProbeArgs, parseProbeSpec } from "./probe-spec.js";
export type {
  CmdProbe,
  HttpProbe,
  Probe,
  ProbeResult,
  SidecarInfo,
  TcpProbe,
  VerifyOptions,
  VerifyPhase,
  VerifyProgressEvent,
  VerifyResult,
  WaitSpec,
} from "./types.js";
export { verifyImage } from "./verify.js";
export { allOf, healthy, logLine, portOpen, type WaitContext, type WaitStrategy } from "./wait.js";
