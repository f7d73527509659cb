import type { ExistingDockerfile } from "./existing.js";

export interface DetectOptions {
  /** The command that starts the app, when detection should not guess (--entry). */
  entry?: string[];
  /** The port the app listens on (--port, or from the probe). */
  port?: number;
  /** An existing Dockerfile, read for its CMD and EXPOSE. */
  existing?: ExistingDockerfile;
  /** Install from the manifest unpinned even when a lockfile is present. */
  ignoreLock?: boolean;
  /** Python minor version of the base image (default 3.11, the local base). */
  pythonVersion?: string;
  /** Node major version of the base image (default 22). */
  nodeVersion?: string;
}
