import { InputError } from "../../errors.js";
import type { Project } from "../project.js";
import { type ProjectFiles, scanProject } from "./files.js";
import { detectNode, isNodeProject } from "./node.js";
import type { DetectOptions } from "./options.js";
import { detectPython, isPythonProject } from "./python.js";

export type { DetectOptions } from "./options.js";

/** Detects the kind of project in `dir` (Python or Node) and everything the templates need. */
export async function detectProject(dir: string, opts: DetectOptions = {}): Promise<Project> {
  const files = await scanProject(dir);
  return detectProjectFiles(files, opts);
}

export async function detectProjectFiles(files: ProjectFiles, opts: DetectOptions = {}): Promise<Project> {
  const node = isNodeProject(files);
  const python = isPythonProject(files);
  if (node && python) {
    throw new InputError(
      `${files.dir} holds both a package.json and a Python manifest: the project type is ambiguous`,
      {
        hint: "pass the directory of one app (for example the Python service's own folder)",
      },
    );
  }
  if (node) return detectNode(files, opts);
  if (python) return detectPython(files, opts);
  const found = files.list.slice(0, 8).join(", ") || "nothing";
  throw new InputError(`no Python or Node project found in ${files.dir} (found: ${found})`, {
    hint: "slimstage optimize needs a requirements.txt, pyproject.toml, Pipfile or package.json; pass the directory that holds it",
  });
}
