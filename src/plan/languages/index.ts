/** The languages optimize knows, in the order a folder is tried (a folder matching two is ambiguous). */
import type { ProjectFiles } from "../detect/files.js";
import type { Project } from "../project.js";
import type { Language } from "./language.js";
import { node } from "./node.js";
import { python } from "./python.js";

export { type BuildInputs, type Language, NO_BUILD_INPUTS } from "./language.js";

export const LANGUAGES: readonly Language[] = [python, node] as readonly Language[];

/** The languages whose projects `files` holds. */
export function languagesOf(files: ProjectFiles): Language[] {
  return LANGUAGES.filter((l) => l.isProject(files));
}

/** The language of a detected project. */
export function languageOf(project: Project): Language {
  const l = LANGUAGES.find((x) => x.kind === project.kind);
  // Project's kind union and LANGUAGES are kept in step by the type of Language.kind.
  if (!l) throw new Error(`no language for project kind ${project.kind}`);
  return l;
}
