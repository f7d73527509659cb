/**
 * What a lab's lab.yaml says about optimizing its app: the probe, the compose
 * sidecars and, for a run-to-completion app, the command probe. optimize
 * (src/plan/) reads no lab.yaml itself; its callers (the CLI's optimize and
 * lab's optimized variants) hand these over as `defaults`.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import type { ProjectDefaults } from "../plan/optimize.js";
import { probesFromConfig } from "../verify/probes/config.js";
import type { Lab } from "./lab-config.js";
import { LAB_FILE, loadLab } from "./load-lab.js";

/** The lab's probe, sidecars and command probe as optimize's defaults. */
export function labOptimizeDefaults(lab: Lab): ProjectDefaults {
  const out: ProjectDefaults = {};
  const probe = lab.config.probe;
  if (probe?.http || probe?.tcp) {
    // The verify area's one translation of a lab.yaml probe (lab's own runs use it too).
    out.probes = probesFromConfig(probe, null, lab.dir).probes;
    if (probe.http) out.healthPath = probe.http.path;
  } else if (probe?.command) {
    out.commandProbe = {
      ...(probe.command.output !== undefined ? { output: probe.command.output } : {}),
      ...(probe.command.exitCode !== undefined ? { exitCode: probe.command.exitCode } : {}),
    };
  }
  // The sidecars of the lab's last variant that has any.
  const withCompose = [...lab.config.variants].reverse().find((v) => v.compose);
  if (withCompose?.compose)
    out.compose = { ...withCompose.compose, file: path.resolve(lab.dir, withCompose.compose.file) };
  return out;
}

async function exists(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined)) !== undefined;
}

/**
 * optimize's defaults for a project folder that is a lab, or whose parent is one (a lab's
 * app may live in a sub-folder: lab-001's app/); undefined for any other project.
 */
export async function findLabOptimizeDefaults(dir: string): Promise<ProjectDefaults | undefined> {
  for (const candidate of [dir, path.dirname(path.resolve(dir))]) {
    if (await exists(path.join(candidate, LAB_FILE))) return labOptimizeDefaults(await loadLab(candidate));
  }
  return undefined;
}
