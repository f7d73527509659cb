/**
 * The model of an example's `lab.yaml`: the variants a lab builds (or a
 * reference image it compares against), how each is checked (the probe, the
 * compose sidecars), what each is expected to do (work, or fail with a named
 * diagnosis), and the lab's claims as data, each with how it is measured.
 */

// lab.yaml's probe is the verify area's probe config (one schema for lab.yaml and probes files).
export type {
  CommandProbeConfig as LabCommandProbe,
  HttpProbeConfig as LabHttpProbe,
  ProbeConfig as LabProbe,
} from "../verify/probes/config.js";

import type { ProbeConfig as LabProbe } from "../verify/probes/config.js";

export interface LabComposeRef {
  /** Compose file, relative to the lab directory. */
  file: string;
  /** The service the variant's image stands in for; its depends_on become sidecars. */
  service: string;
  /** Compose profiles to enable (as `--profile`). */
  profiles?: string[];
}

export interface LabDiagnosis {
  /** Regular expression the build error (message or output) must match. */
  build?: string;
  /** Lint rule ids that must be reported on the variant's Dockerfile. */
  lint?: string[];
  /** Regular expression the failed verification (container logs or error) must match. */
  logs?: string;
  /** The diagnosis in words, shown in the table and the verdicts. */
  explain: string;
}

export type LabExpectation = "works" | { fails: "build" | "verify"; diagnosis: LabDiagnosis };

export interface LabVariant {
  name: string;
  /** The image name the lab uses for it (`python-app-single-stage`), shown beside the name. */
  label?: string;
  /** Dockerfile, relative to the lab directory. Exclusive with `image`. */
  dockerfile?: string;
  /** Build context, relative to the lab directory (default: the lab's `context`, else "."). */
  context?: string;
  target?: string;
  buildArgs?: Record<string, string>;
  /** A reference image used as it is (not built), e.g. the python slim base. */
  image?: string;
  /** Overrides the lab's probe; `null`: not verified. */
  probe?: LabProbe | null;
  compose?: LabComposeRef;
  expect: LabExpectation;
}

/** Thresholds such as "10%" (of the other image's size) or "20MB". */
export type Threshold = string;

export type ClaimMeasure =
  | { kind: "smaller"; subject: string; than: string; byAtLeast?: Threshold }
  | { kind: "order"; smallestFirst: string[] }
  | { kind: "works"; variant: string }
  | { kind: "fails"; variant: string }
  | { kind: "contains"; variant: string; packages?: string[]; categories?: string[] }
  | { kind: "lacks"; variant: string; packages?: string[]; categories?: string[] }
  | { kind: "non-root"; variant: string }
  | { kind: "fewer-layers"; subject: string; than: string }
  | { kind: "build-step"; variant: string; step: string; output?: string };

export type ClaimKind = ClaimMeasure["kind"];

export interface LabClaim {
  id: string;
  /** The claim in the lab's words. */
  text: string;
  measure: ClaimMeasure;
  /** The verdict the lab expects (`expect: true|false`): another verdict fails the run (exit 1). */
  expect?: boolean;
}

/** How slimstage's own optimize runs on the lab, as one more pair of variants. */
export interface LabOptimize {
  /** The project directory optimize reads, relative to the lab directory (default "."; lab-001: "app"). */
  dir?: string;
  /** Claim: the distroless tier is at most this large and verified ("45MB"). */
  distrolessAtMost?: Threshold;
  /** Claim: the distroless tier is at most the node binary it ships plus this much ("15MB"). */
  distrolessAtMostNodePlus?: Threshold;
}

export interface LabConfig {
  name: string;
  title: string;
  /** Which seed lab it comes from ("000".."004"). */
  seed?: string;
  /** Default build context for the variants (relative to the lab directory). */
  context?: string;
  /** The lab's files as written, kept for the record: linted, never built. */
  original?: string[];
  /** The variant the others are compared with (default: the first). */
  baseline?: string;
  /** Show each image's layer history (lab-004 asks for `docker history`). */
  history?: boolean;
  probe?: LabProbe;
  /** Where and how `slimstage lab` runs optimize on the lab (default: the lab directory). */
  optimize?: LabOptimize;
  variants: LabVariant[];
  claims: LabClaim[];
}

/** A lab.yaml loaded and checked, with where it came from. */
export interface Lab {
  /** Absolute directory of the lab. */
  dir: string;
  /** Absolute path of its lab.yaml. */
  file: string;
  config: LabConfig;
}

/** Variants a claim refers to, for cross-checks and for deciding what to measure. */
export function claimVariants(m: ClaimMeasure): string[] {
  switch (m.kind) {
    case "smaller":
    case "fewer-layers":
      return [m.subject, m.than];
    case "order":
      return [...m.smallestFirst];
    default:
      return [m.variant];
  }
}
