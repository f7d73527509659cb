import { languageOf } from "../languages/index.js";
import type { Project } from "../project.js";
import { withoutCacheMounts } from "./portable.js";
import type { PlannedFiles, TemplateOptions, Tier } from "./text.js";

/** The Dockerfile, .dockerignore and extra files for a detected project at one tier (its language's templates). */
export function planFiles(project: Project, tier: Tier, opts: TemplateOptions = {}): PlannedFiles {
  const plan = languageOf(project).plan(project, tier, opts);
  return opts.cacheMounts === false ? withoutCacheMounts(plan) : plan;
}
