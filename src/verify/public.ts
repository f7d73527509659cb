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
