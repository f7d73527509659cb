import type { Project } from "../project.js";
import { nodePlan } from "./node.js";
import { pythonPlan } from "./python.js";
import type { PlannedFiles, TemplateOptions, Tier } from "./text.js";

/** The Dockerfile, .dockerignore and extra files for a detected project at one tier. */
export function planFiles(project: Project, tier: Tier, opts: TemplateOptions = {}): PlannedFiles {
  return project.kind === "python" ? pythonPlan(project, tier, opts) : nodePlan(project, tier, opts);
}
