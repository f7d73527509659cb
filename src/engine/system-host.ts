import { access, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import type { DiscoveryHost } from "./discovery.js";

/**
 * The real machine, for discovery. Kept apart from connect.ts: discovery
 * alone (doctor, error messages) does not load dockerode.
 */
export function systemDiscoveryHost(env: NodeJS.ProcessEnv = process.env): DiscoveryHost {
  return {
    env,
    homedir: homedir(),
    readFile: (p) => readFile(p, "utf8"),
    exists: (p) =>
      access(p).then(
        () => true,
        () => false,
      ),
  };
}
