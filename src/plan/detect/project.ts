import { InputError } from "../../errors.js";
import { LANGUAGES, languagesOf } from "../languages/index.js";
import type { Project } from "../project.js";
import { type ProjectFiles, scanProject } from "./files.js";
import type { DetectOptions } from "./options.js";

export type { DetectOptions } from "./options.js";

/** Detects the kind of project in `dir` (Python or Node) and everything the templates need. */
export async function detectProject(dir: string, opts: DetectOptions = {}): Promise<Project> {
  const files = await scanProject(dir);
  return detectProjectFiles(files, opts);
}

export async function detectProjectFiles(files: ProjectFiles, opts: DetectOptions = {}): Promise<Project> {
  const found = languagesOf(files);
  if (found.length > 1) {
    throw new InputError(
      `${files.dir} holds a ${found.map((l) => l.name).join(" and a ")} project: the project type is ambiguous`,
      {
        hint: "pass the directory of one app (for example the Python service's own folder)",
      },
    );
  }
  const [language] = found;
  if (language) return language.detect(files, opts);
  const seen = files.list.slice(0, 8).join(", ") || "nothing";
  throw new InputError(
    `no ${LANGUAGES.map((l) => l.name).join(" or ")} project found in ${files.dir} (found: ${seen})`,
    {
      hint: `slimstage optimize needs ${LANGUAGES.map((l) => l.manifests.join(", ")).join(", or ")}; pass the directory that holds it`,
    },
  );
}
