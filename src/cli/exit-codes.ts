import type { ErrorKind } from "../errors.js";

/** The documented exit codes (docs/cli.md is generated from this table). */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  engine: 3,
  build: 4,
  verify: 5,
  internal: 70,
  interrupted: 130,
} as const;

export const EXIT_DESCRIPTIONS: ReadonlyArray<readonly [number, string]> = [
  [EXIT.ok, "success"],
  [EXIT.findings, "findings at or above the failure threshold, or a size/efficiency gate failed"],
  [EXIT.usage, "usage or input error: bad flag, malformed Dockerfile, tarball or config"],
  [EXIT.engine, "no usable container engine (or it stopped during the command)"],
  [EXIT.build, "an image build failed"],
  [EXIT.verify, "verification failed: the image did not pass its probes"],
  [EXIT.internal, "internal error (a bug in slimstage)"],
  [EXIT.interrupted, "interrupted (Ctrl-C); everything started was cleaned up"],
];

export function exitCodeFor(kind: ErrorKind): number {
  switch (kind) {
    case "input":
      return EXIT.usage;
    case "engine":
      return EXIT.engine;
    case "build":
      return EXIT.build;
    case "verify":
      return EXIT.verify;
    case "interrupted":
      return EXIT.interrupted;
    case "internal":
      return EXIT.internal;
  }
}
